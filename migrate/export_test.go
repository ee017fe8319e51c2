package migrate

// LockKeyForTest exposes the advisory lock key to tests.
func LockKeyForTest(schema, table string) int64 { return lockKey(versionTable{schema, table}) }
