package demo

import (
	"fmt"
	"strings"
)

// ScaleOf returns the scale a demo county of that many households was
// built at: the small one has a few thousand, the county one a quarter of a
// million.
func ScaleOf(households int) Scale {
	if households >= 50000 {
		return County
	}
	return Small
}

// ReuseMessage is what `healthcell demo` says when the database dsn already
// holds a demo county of that many households and residents and asked is the
// scale requested: that the county is reused as it is, and, when it was
// built at another scale, plainly that nothing is rebuilt and how to start
// afresh (remove the SQLite file, or empty the PostgreSQL database, or
// choose another with --db). In Chinese first, then English.
func ReuseMessage(asked Scale, households, persons int, dsn string) string {
	have := ScaleOf(households)
	if have == asked {
		return fmt.Sprintf("沿用已有的演示数据：%d 户、%d 人。\nreusing the demo county: %d households, %d residents\n", households, persons, households, persons)
	}
	zh := map[Scale]string{Small: "小规模", County: "全县规模"}
	var fresh, freshEN string
	where, whereEN := dsn+" ", dsn
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		where, whereEN = "该 PostgreSQL 数据库", "the PostgreSQL database" // the address may hold a password
		fresh = "请清空该 PostgreSQL 数据库，或用 --db 指定另一个数据库后重新运行。"
		freshEN = "empty that PostgreSQL database, or name another with --db, and run again."
	} else {
		fresh = fmt.Sprintf("请删除文件 %s（或用 --db 指定一个新文件）后重新运行。", dsn)
		freshEN = fmt.Sprintf("remove %s (or name a new file with --db) and run again.", dsn)
	}
	return fmt.Sprintf("注意：%s里已有%s的演示数据（%d 户、%d 人），本次直接沿用，不会按%s重新生成。\n如需%s的演示数据，%s\n"+
		"note: %s already holds the %s-scale demo county (%d households, %d residents); it is reused as it is, not rebuilt at %s scale.\n"+
		"To build the %s scale afresh, %s\n",
		where, zh[have], households, persons, zh[asked], zh[asked], fresh,
		whereEN, have, households, persons, asked, asked, freshEN)
}
