-- Embedded store only: inserts a Native-format block that faultline wrote to a file under the data dir (chDB takes
-- binary input through files; the block's columns are in the table's order).
INSERT INTO {table:Identifier} SELECT * FROM file({path:String}, Native)
