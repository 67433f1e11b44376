package demo

import (
	"fmt"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
)

// residentFileGiven are the characters given names are made of in
// ResidentFile.
const residentFileGiven = "明华平建国军伟芳秀英玉兰志强丽娟红梅文杰浩宇子涵欣怡俊峰海燕春"

// ResidentFile generates n rows of a resident import file for the given
// villages (level 5), deterministically: the same arguments give the same
// rows. Households of one to five members are contiguous, spread round-robin
// over the villages, the first member being 户主; every ID number is valid
// and distinct (region 510824, birth dates 1935 onwards), sex and birth date
// agree with it. emit receives the cells in the column order of
// ResidentFileHeader; the slice is reused.
func ResidentFile(villages []healthcell.Division, n int, emit func(cells []string) error) error {
	if len(villages) == 0 {
		return fmt.Errorf("demo: no villages")
	}
	const days = 30000 // 1935-01-01 onwards: about 82 years of birth dates
	base := time.Date(1935, 1, 1, 0, 0, 0, 0, time.UTC)
	rels := []string{"户主", "配偶", "子", "女", "孙子"}
	given := []rune(residentFileGiven)
	cells := make([]string, len(ResidentFileHeader))
	hh, member, size := 0, 0, 0
	for i := 0; i < n; i++ {
		if member == size {
			hh++
			member, size = 0, 1+int(mix(uint64(hh))%5)
		}
		v := villages[hh%len(villages)]
		birth := base.AddDate(0, 0, i%days)
		seq := i / days // 0… for a million rows: 34
		h := mix(uint64(i) + 1)
		seq = seq*2 + int(h%2) // odd: male
		id := idcard.Generate("510824", birth, seq)
		sex := "女"
		if seq%2 == 1 {
			sex = "男"
		}
		s := surnameWeights[int(h>>8)%len(surnameWeights)].name
		name := s + string(given[int(h>>16)%len(given)]) + string(given[int(h>>24)%len(given)])
		phone := ""
		if member == 0 {
			phone = fmt.Sprintf("13%09d", h%1000000000)
		}
		cells[0], cells[1], cells[2], cells[3] = name, sex, id, birth.Format("2006-01-02")
		cells[4], cells[5], cells[6] = fmt.Sprintf("%05d", hh/len(villages)+1), rels[member], v.Code
		cells[7], cells[8], cells[9], cells[10] = fmt.Sprintf("%d组", 1+hh%7), phone, "是", "是"
		if err := emit(cells); err != nil {
			return err
		}
		member++
	}
	return nil
}

// ResidentFileHeader is the header of the rows ResidentFile generates.
var ResidentFileHeader = []string{"姓名", "性别", "身份证号", "出生日期", "户编号", "与户主关系", "所属村（社区）", "村民小组", "联系电话", "户籍", "常住"}
