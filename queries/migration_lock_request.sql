INSERT INTO faultline_migration_lock SELECT {holder:String}, now64(3)
