package report

import "github.com/healthcell/healthcell"

// bulletinWords are the words of a bulletin that depend on the level of
// its division: what its rows are, whom it is sent to, and its closing
// demand. A county's bulletin ranks townships, a city's counties, a
// province's cities.
type bulletinWords struct {
	Rows       string // 乡镇（街道）: the rows' kind, in headings and tables
	Recipients string // 主送机关
	Demand     string // 工作要求
}

// wordsByLevel holds the words of each level a bulletin is issued at.
var wordsByLevel = map[int]bulletinWords{
	healthcell.LevelCounty: {
		Rows:       "乡镇（街道）",
		Recipients: "各乡镇人民政府（街道办事处），县级有关部门",
		Demand:     "各乡镇（街道）要对照目标任务和排名情况，查找差距，倒排工期，加快申报和整改进度，确保按期完成创建任务。",
	},
	healthcell.LevelCity: {
		Rows:       "县（市、区）",
		Recipients: "各县（市、区）爱国卫生运动委员会办公室",
		Demand:     "各县（市、区）要对照目标任务和排名情况，查找差距，加快申报、整改和推荐进度，督促逾期整改事项按期办结，确保按期完成创建任务。",
	},
	healthcell.LevelProvince: {
		Rows:       "市（州）",
		Recipients: "各市（州）爱国卫生运动委员会办公室",
		Demand:     "各市（州）要对照目标任务和排名情况，查找差距，督促所辖县（市、区）加快推进，确保按期完成创建任务。",
	},
}

// wordsOf returns the words of b's level (a county's when its division is
// of no known level).
func wordsOf(b *healthcell.Bulletin) bulletinWords {
	if w, ok := wordsByLevel[healthcell.CodeLevel(b.Division)]; ok {
		return w
	}
	return wordsByLevel[healthcell.LevelCounty]
}

// upper reports whether b is a bulletin above the county.
func upper(b *healthcell.Bulletin) bool {
	lv := healthcell.CodeLevel(b.Division)
	return lv == healthcell.LevelCity || lv == healthcell.LevelProvince
}
