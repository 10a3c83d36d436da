-- This instance asks to run one analysis (kind `first` or `resolve`) of an incident; the time is the server's.
INSERT INTO analysis_claims SELECT {incidentId:String}, {kind:String}, {instance:String}, now64(6)
