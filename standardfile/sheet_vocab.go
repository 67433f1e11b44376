package standardfile

import (
	"github.com/healthcell/healthcell"
)

// Spreadsheet layout. A standard is a table with one row per item under a
// header row (the first row holding 评分内容 or 评分标准), with the
// standard's own fields as "key, value" rows above the table and/or, in a
// workbook, on a sheet named 标准信息.
const (
	sheetInfoName  = "标准信息" // the sheet of key, value pairs
	sheetTableName = "评分标准" // the sheet of items written by WriteXLSX

	// Bounds of an uploaded spreadsheet; standards are a few hundred rows.
	sheetMaxBytes = 10 << 20 // file size
	sheetMaxRows  = 10000    // rows of a sheet, blank ones included
	sheetMaxCells = 500000   // cells of a CSV file, blank ones included
)

// scCol is a column of the items table.
type scCol int

const (
	scSection scCol = iota
	scSubsection
	scCode
	scText
	scCriteria
	scPoints
	scMethod
	scGrades
	scVeto
	scBonus
	scIndicator
	scTarget
	scActivity
	scMinCount
	scEvidence
	scDefault
	scCount
)

// sheetColumns lists the columns in the order they are written; the first
// name is the one written and reported, the others are accepted.
var sheetColumns = []struct {
	col   scCol
	names []string
}{
	{scSection, []string{"一级指标"}},
	{scSubsection, []string{"二级指标"}},
	{scCode, []string{"编号", "序号"}},
	{scText, []string{"评分内容"}},
	{scCriteria, []string{"评分标准"}},
	{scPoints, []string{"分值"}},
	{scMethod, []string{"评分方法"}},
	{scGrades, []string{"分级"}},
	{scVeto, []string{"否决项"}},
	{scBonus, []string{"加分项"}},
	{scIndicator, []string{"关联指标"}},
	{scTarget, []string{"目标值"}},
	{scActivity, []string{"活动类型"}},
	{scMinCount, []string{"最少次数"}},
	{scEvidence, []string{"佐证材料"}},
	{scDefault, []string{"系统默认"}}, // 是: a number chosen by us, not from the source document
}

// sheetColumnByName maps normalized header texts to columns.
var sheetColumnByName = func() map[string]scCol {
	m := map[string]scCol{}
	for _, c := range sheetColumns {
		for _, n := range c.names {
			m[sheetNorm(n)] = c.col
		}
	}
	return m
}()

// sheetColumnName returns the default header text of a column.
func sheetColumnName(c scCol) string {
	for _, x := range sheetColumns {
		if x.col == c {
			return x.names[0]
		}
	}
	return ""
}

// sheetMetaKeys lists the standard's own fields in the order they are
// written; the first label is the one written and reported.
var sheetMetaKeys = []struct {
	field  string // the Standard's JSON name, as in Validate's field errors
	labels []string
}{
	{"name", []string{"标准名称"}},
	{"code", []string{"标准编号"}},
	{"cell_type", []string{"创建类型"}},
	{"unit_kind", []string{"适用对象"}},
	{"issuer", []string{"发布单位"}},
	{"source", []string{"依据", "来源", "依据/来源", "依据或来源"}},
	{"total_points", []string{"总分"}},
	{"pass_score", []string{"合格分数"}},
	{"veto_min_rate", []string{"否决项最低得分率"}},
	{"review_years", []string{"复审周期（年）", "复审周期"}},
	{"regions", []string{"地区"}},
	{"levels", []string{"等级"}},
	{"notes", []string{"说明"}},
}

var sheetMetaByLabel = func() map[string]string {
	m := map[string]string{}
	for _, k := range sheetMetaKeys {
		for _, l := range k.labels {
			m[sheetNorm(l)] = k.field
		}
	}
	return m
}()

func sheetMetaLabel(field string) string {
	for _, k := range sheetMetaKeys {
		if k.field == field {
			return k.labels[0]
		}
	}
	return field
}

// sheetRequiredMeta are the fields whose absence is reported as one
// standard.meta.missing error.
var sheetRequiredMeta = []string{"name", "code", "cell_type", "unit_kind"}

var sheetMethodByName = map[string]string{
	"yes": healthcell.MethodYes, "是": healthcell.MethodYes,
	"no": healthcell.MethodNo, "否": healthcell.MethodNo,
	"graded": healthcell.MethodGraded, "分级": healthcell.MethodGraded,
	"egt": healthcell.MethodEGT, "达标": healthcell.MethodEGT, "不低于": healthcell.MethodEGT,
	"elt": healthcell.MethodELT, "不超过": healthcell.MethodELT, "不高于": healthcell.MethodELT,
	"count": healthcell.MethodCount, "计数": healthcell.MethodCount,
	"attach": healthcell.MethodAttach, "佐证": healthcell.MethodAttach,
}

// sheetMethodLabel is the Chinese name written for each method.
var sheetMethodLabel = map[string]string{
	healthcell.MethodYes:    "是",
	healthcell.MethodNo:     "否",
	healthcell.MethodGraded: "分级",
	healthcell.MethodEGT:    "达标",
	healthcell.MethodELT:    "不超过",
	healthcell.MethodCount:  "计数",
	healthcell.MethodAttach: "佐证",
}

var sheetUnitKindByName = map[string]string{
	"村": "village", "行政村": "village",
	"社区": "community",
	"家庭": "household",
	"学校": "school",
	"医院": "hospital",
	"机关": "agency",
	"企业": "enterprise",
	"乡镇": "township",
}

// sheetUnitKindLabel is the Chinese name written for each unit kind.
var sheetUnitKindLabel = map[string]string{
	"village": "村", "community": "社区", "household": "家庭", "school": "学校",
	"hospital": "医院", "agency": "机关", "enterprise": "企业", "township": "乡镇",
}

var sheetFlagByName = map[string]bool{
	"是": true, "√": true, "✓": true, "✔": true, "y": true, "yes": true, "true": true, "1": true,
	"否": false, "×": false, "✗": false, "n": false, "no": false, "false": false, "0": false,
}

// sheetTotalRows are the texts of a totals line below the table, skipped.
var sheetTotalRows = map[string]bool{"合计": true, "总计": true, "小计": true, "总分": true}

// sheetEmptySubsection are the texts that mark a deliberately empty 二级指标
// cell (a blank cell inherits the value above).
var sheetEmptySubsection = map[string]bool{"—": true, "——": true, "-": true, "/": true, "无": true}
