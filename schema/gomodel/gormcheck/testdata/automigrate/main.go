// Command automigrate runs GORM's AutoMigrate for testdata/models on a
// SQLite file (os.Args[1]). It is a separate program because GORM's pure-Go
// SQLite driver registers the database/sql name "sqlite", as
// modernc.org/sqlite (migrate's driver) does: both cannot be in one binary.
package main

import (
	"fmt"
	"os"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/migratehq/migrate/schema/gomodel/gormcheck/testdata/models"
)

func main() {
	db, err := gorm.Open(sqlite.Open(os.Args[1]), &gorm.Config{Logger: logger.Discard})
	if err == nil {
		err = db.AutoMigrate(models.All...)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
