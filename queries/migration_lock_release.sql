DELETE FROM faultline_migration_lock WHERE Holder = {holder:String}
