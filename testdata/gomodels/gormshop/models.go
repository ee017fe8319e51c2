// Package gormshop is a GORM models package for the loader's loop test
// (GORM mode: detected from the gorm.io/gorm import). Read, never compiled.
package gormshop

import (
	"time"

	"gorm.io/gorm"
)

type Company struct {
	ID        int
	Name      string `gorm:"size:100;not null;uniqueIndex"`
	Employees []User
}

type User struct {
	gorm.Model
	Name      string  `gorm:"index:idx_name_age,priority:1"`
	Age       uint8   `gorm:"index:idx_name_age,priority:2;default:18"`
	Email     *string `gorm:"unique"`
	Role      string  `gorm:"default:member;check:role <> ''"`
	CompanyID int
	Company   Company
	Cards     []CreditCard `gorm:"constraint:OnDelete:CASCADE"`
	Languages []Language   `gorm:"many2many:user_languages;"`
	Birthday  *time.Time
	Meta      Meta `gorm:"embedded;embeddedPrefix:meta_"`
	Nickname  string
}

type Meta struct {
	Source string
}

type CreditCard struct {
	ID     uint
	Number string `gorm:"not null"`
	UserID uint
}

type Language struct {
	ID   uint
	Code string `gorm:"type:varchar(8);uniqueIndex:idx_lang_code"`
}
