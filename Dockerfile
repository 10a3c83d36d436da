# faultline: Node 20 (glibc, for the chDB engine). Build stage compiles TypeScript; runtime keeps prod deps only.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# npm run build also bundles the pages (scripts/build-web.mjs -> dist/web).
COPY scripts/build-web.mjs ./scripts/
RUN npm run build

FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production FAULTLINE_DATA_DIR=/data
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY queries ./queries
COPY proto ./proto
# The embedded store writes /data as the unprivileged user: the directory must exist and be theirs before VOLUME,
# or a fresh named volume is created root-owned and chDB cannot write.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 4317 4318 8080
USER node
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["serve"]
