package standardfile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
)

// sheetSample is the standard of testdata/good_*.csv.
func sheetSample() *healthcell.Standard {
	return &healthcell.Standard{
		Code:        "HC-V-2024",
		Name:        "健康村创建标准",
		CellType:    "健康村",
		UnitKind:    "village",
		Issuer:      "某县爱国卫生运动委员会办公室",
		Source:      "全国健康村建设标准（试行）",
		Notes:       "带“系统默认”的数值由本系统设定",
		TotalPoints: 33,
		PassScore:   20,
		VetoMinRate: 0.75,
		ReviewYears: 3,
		Regions:     []string{"东", "中", "西"},
		Levels:      []healthcell.Level{{Name: "铜", Min: 20}, {Name: "银", Min: 25}, {Name: "金", Min: 30}},
		Items: []healthcell.Item{
			{Code: "1.1", Section: "组织管理", Subsection: "领导机制", Text: "成立健康村建设领导小组", Points: 5, Method: healthcell.MethodYes, Veto: true, Evidence: "任命文件"},
			{Code: "1.2", Section: "组织管理", Subsection: "领导机制", Text: "制定年度工作计划", Points: 5, Method: healthcell.MethodGraded,
				Grades: []healthcell.Grade{{Label: "好", Points: 5}, {Label: "中", Points: 3}, {Label: "差", Points: 0}}},
			{Code: "1.3", Section: "组织管理", Text: "建立工作台账\n（含会议记录）", Points: 2.5, Method: healthcell.MethodAttach, Evidence: "照片"},
			{Code: "2.1", Section: "健康环境", Text: "生活饮用水合格率", Points: 10, Method: healthcell.MethodEGT, Indicator: "water_rate",
				Target: 90, Targets: map[string]float64{"东": 95, "西": 80}, Default: true},
			{Code: "2.2", Section: "健康环境", Text: "病媒生物密度", Points: 0.5, Method: healthcell.MethodELT, Indicator: "vector_density", Target: 5},
			{Code: "3.1", Section: "健康活动", Text: "开展健康讲座", Points: 10, Method: healthcell.MethodCount, Activity: "health_talk", MinCount: 4},
			{Code: "3.2", Section: "健康活动", Text: "村内公共场所无人吸烟", Points: 5, Method: healthcell.MethodNo, Bonus: true},
		},
	}
}

// sheetTricky is a standard with values that are easy to get wrong when
// written and read back.
func sheetTricky() *healthcell.Standard {
	return &healthcell.Standard{
		ID: 7, Version: 3, CreatedAt: time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC), CreatedBy: "admin",
		Code:     "HC-T-1",
		Name:     "名称, 带 \"引号\" 和逗号",
		CellType: "健康促进学校",
		UnitKind: "school",
		Notes:    "第一行\n第二行",
		Regions:  []string{"东", "西"},
		Items: []healthcell.Item{
			{Code: "1.10", Section: "甲", Subsection: "X", Text: "=1+1 不是公式", Points: 1, Method: healthcell.MethodYes},
			{Code: "1.2", Section: "甲", Text: "-开头的文字", Points: 0.1, Method: healthcell.MethodNo},
			{Code: "1.3", Section: "甲", Text: "@提及", Points: 0.2, Method: healthcell.MethodYes},
			{Code: "1.4", Section: "甲", Subsection: "X", Text: "+号开头", Points: 1.25, Method: healthcell.MethodYes},
			{Code: "2.1", Section: "-", Subsection: "X", Text: "段名是减号", Points: 3, Method: healthcell.MethodELT, Indicator: "i",
				Targets: map[string]float64{"西": 7.5, "东": 5}},
			{Code: "2.2", Section: "-", Subsection: "Y", Text: "'已带引号", Points: 12.5, Method: healthcell.MethodGraded,
				Grades: []healthcell.Grade{{Label: "好（满分）", Points: 12.5}, {Label: "一般: 部分", Points: 6}}},
		},
	}
}

// sheetMinimal is the smallest valid standard.
func sheetMinimal() *healthcell.Standard {
	return &healthcell.Standard{
		Code: "MIN", Name: "最小标准", CellType: "健康家庭", UnitKind: "household",
		Items: []healthcell.Item{{Code: "1", Section: "一", Text: "有", Points: 1, Method: healthcell.MethodYes}},
	}
}

// sheetComparable drops what a spreadsheet does not carry.
func sheetComparable(s *healthcell.Standard) *healthcell.Standard {
	c := *s
	c.ID, c.Version, c.CreatedAt, c.CreatedBy = 0, 0, time.Time{}, ""
	return &c
}

func sheetEqual(t *testing.T, got, want *healthcell.Standard) {
	t.Helper()
	got, want = sheetComparable(got), sheetComparable(want)
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("standard differs\n got: %s\nwant: %s", g, w)
	}
}

func sheetErrorsEqual(t *testing.T, err error, want []healthcell.FieldError) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	if code := healthcell.ErrorCode(err); code != healthcell.EINVALID {
		t.Fatalf("error code %q (%v), want %q", code, err, healthcell.EINVALID)
	}
	got := healthcell.ErrorFields(err)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("field errors\n got: %+v\nwant: %+v", got, want)
	}
}

func sheetReadFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sheetBook is a workbook for a test: sheets in order, each with rows
// written from A1 (nil cells stay blank) and cell ranges to merge.
type sheetBook []struct {
	name   string
	rows   [][]any
	merges [][2]string
	styles map[string]*excelize.Style // per cell
}

func (b sheetBook) bytes(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range b {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), sh.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(sh.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range sh.merges {
			if err := f.MergeCell(sh.name, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
		for cell, st := range sh.styles {
			id, err := f.NewStyle(st)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sh.name, cell, cell, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheetGoodBook is the sample as a workbook laid out by hand: the fields on
// a 标准信息 sheet, a title and a note above the table, no 编号 column,
// merged 一级指标 and 二级指标 cells, Chinese methods, a percent-formatted
// target.
func sheetGoodBook() sheetBook {
	percent := 9 // 0%
	return sheetBook{
		{name: "标准信息", rows: [][]any{
			{"项目", "内容"},
			{"标准名称", "健康村创建标准"},
			{"标准编号", "HC-V-2024"},
			{"创建类型", "健康村"},
			{"适用对象", "Village"},
			{"发布单位", "某县爱国卫生运动委员会办公室"},
			{"依据/来源", "全国健康村建设标准（试行）"},
			{"总分", 33},
			{"合格分数：", 20.0},
			{"否决项最低得分率", 0.75},
			{"复审周期(年)", 3},
			{"地区", "东,中;西"},
			{"等级", "铜:20;银:25;金:30"},
		}},
		{name: "评分表", rows: [][]any{
			{"健康村创建评分标准"},
			{"说明：带“系统默认”的数值由本系统设定"},
			{"一级指标", "二级指标", "评分内容", "分值（分）", " 评分\n方法 ", "分级", "否决项", "加分项", "关联指标", "目标值", "活动类型", "最少次数", "佐证材料", "系统默认"},
			{"组织管理", "领导机制", "成立健康村建设领导小组", 5, "是", nil, "是", nil, nil, nil, nil, nil, "任命文件"},
			{nil, nil, "制定年度工作计划", 5, "分级", "好:5;中:3;差:0"},
			{nil, "—", "建立工作台账\n（含会议记录）", 2.5, "佐证", nil, nil, nil, nil, nil, nil, nil, "照片"},
			{"健康环境", nil, "生活饮用水合格率", 10, "达标", nil, nil, nil, "water_rate", "90;东:95;西:80", nil, nil, nil, "是"},
			{nil, nil, "病媒生物密度", 0.5, "不超过", nil, nil, nil, "vector_density", 0.05},
			{"健康活动", nil, "开展健康讲座", 10, "计数", nil, nil, nil, nil, nil, "health_talk", 4},
			{nil, nil, "村内公共场所无人吸烟", 5, "否", nil, nil, "是"},
		},
			merges: [][2]string{{"A1", "N1"}, {"A4", "A6"}, {"B4", "B5"}, {"A7", "A8"}, {"A9", "A10"}},
			styles: map[string]*excelize.Style{"J8": {NumFmt: percent}},
		},
	}
}

func TestParseSheetGood(t *testing.T) {
	generated := sheetSample()
	for i, code := range []string{"1.1.1", "1.1.2", "1.1", "2.1", "2.2", "3.1", "3.2"} {
		generated.Items[i].Code = code
	}
	tests := []struct {
		name     string
		filename string
		data     []byte
		want     *healthcell.Standard
	}{
		{"csv with BOM", "good.csv", sheetReadFile(t, "good_bom.csv"), sheetSample()},
		{"csv in GB18030", "good.CSV", sheetReadFile(t, "good_gb18030.csv"), sheetSample()},
		{"xlsx by hand", "好标准.xlsx", sheetGoodBook().bytes(t), generated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSheet(bytes.NewReader(tt.data), tt.filename)
			if err != nil {
				t.Fatal(err)
			}
			sheetEqual(t, s, tt.want)
		})
	}
}

// sheetMetaCSV is four rows of key, value pairs; a table under it has its
// header on row 5 and its first item on row 6.
const sheetMetaCSV = "标准名称,健康村创建标准\n标准编号,HC-T\n创建类型,健康村\n适用对象,村\n"

func TestParseSheetMethods(t *testing.T) {
	tests := []struct {
		name, cell, want string
	}{
		{"是", "是", healthcell.MethodYes},
		{"否", "否", healthcell.MethodNo},
		{"分级", "分级", healthcell.MethodGraded},
		{"达标", "达标", healthcell.MethodEGT},
		{"不超过", "不超过", healthcell.MethodELT},
		{"计数", "计数", healthcell.MethodCount},
		{"佐证", "佐证", healthcell.MethodAttach},
		{"不低于", "不低于", healthcell.MethodEGT},
		{"不高于", "不高于", healthcell.MethodELT},
		{"english", "egt", healthcell.MethodEGT},
		{"english upper case", "ATTACH", healthcell.MethodAttach},
		{"spaces", " 达 标 ", healthcell.MethodEGT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := sheetMetaCSV + "一级指标,评分内容,分值,评分方法,分级,关联指标,目标值,活动类型,最少次数\n" +
				"一,内容,5," + tt.cell + ",好:5;差:0,rate,90,lecture,2\n"
			s, err := ParseSheet(strings.NewReader(in), "m.csv")
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Items[0].Method; got != tt.want {
				t.Errorf("method %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseSheetInheritsSections(t *testing.T) {
	type pos struct{ sec, sub, code string }
	tests := []struct {
		name     string
		filename string
		data     []byte
		want     []pos
	}{
		{
			name:     "merged xlsx cells",
			filename: "m.xlsx",
			data: sheetBook{{name: "Sheet1",
				rows: [][]any{
					{"标准名称", "n"}, {"标准编号", "c"}, {"创建类型", "健康村"}, {"适用对象", "村"},
					{"一级指标", "二级指标", "评分内容", "分值", "评分方法"},
					{"一、组织管理", "领导", "a", 1, "是"},
					{nil, nil, "b", 1, "是"},
					{nil, "—", "c", 1, "是"},
					{"二、环境", nil, "d", 1, "是"},
					{nil, "卫生", "e", 1, "是"},
					{nil, nil, "f", 1, "是"},
				},
				merges: [][2]string{{"A6", "A8"}, {"B6", "B7"}, {"A9", "A11"}, {"B10", "B11"}},
			}}.bytes(t),
			want: []pos{{"一、组织管理", "领导", "1.1.1"}, {"一、组织管理", "领导", "1.1.2"}, {"一、组织管理", "", "1.1"},
				{"二、环境", "", "2.1"}, {"二、环境", "卫生", "2.1.1"}, {"二、环境", "卫生", "2.1.2"}},
		},
		{
			name:     "blank csv cells",
			filename: "b.csv",
			data: []byte(sheetMetaCSV + "一级指标,二级指标,评分内容,分值,评分方法\n" +
				"组织管理,领导,a,1,是\n,,b,1,是\n,,c,1,是\n环境,,d,1,是\n"),
			want: []pos{{"组织管理", "领导", "1.1.1"}, {"组织管理", "领导", "1.1.2"}, {"组织管理", "领导", "1.1.3"}, {"环境", "", "2.1"}},
		},
		{
			name:     "repeated section, blank subsection",
			filename: "r.csv",
			data: []byte(sheetMetaCSV + "一级指标,二级指标,评分内容,分值,评分方法\n" +
				"组织管理,领导,a,1,是\n组织管理,,b,1,是\n组织管理,制度,c,1,是\n组织管理,,d,1,是\n"),
			want: []pos{{"组织管理", "领导", "1.1.1"}, {"组织管理", "领导", "1.1.2"}, {"组织管理", "制度", "1.2.1"}, {"组织管理", "制度", "1.2.2"}},
		},
		{
			name:     "heading rows and explicit codes",
			filename: "h.csv",
			data: []byte(sheetMetaCSV + "序号,一级指标,二级指标,评分内容,分值,评分方法\n" +
				"一,组织管理（10分）,,,,\n1,,,a,5,是\n,,（一）制度,,,\n2,,,b,5,是\n3,环境,,c,5,是\n"),
			want: []pos{{"组织管理（10分）", "", "1"}, {"组织管理（10分）", "（一）制度", "2"}, {"环境", "", "3"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSheet(bytes.NewReader(tt.data), tt.filename)
			if err != nil {
				t.Fatal(err)
			}
			var got []pos
			for _, it := range s.Items {
				got = append(got, pos{it.Section, it.Subsection, it.Code})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("items\n got: %v\nwant: %v", got, tt.want)
			}
		})
	}
}

// TestParseSheetRejectsBadRows is the acceptance test: a spreadsheet with a
// missing 分值, non-numeric points, a duplicate item, an unknown scoring
// method and an egt item without an indicator is rejected with exactly one
// error per bad row, naming its row and column.
func TestParseSheetRejectsBadRows(t *testing.T) {
	want := []healthcell.FieldError{
		{Row: 8, Field: "分值", Message: "standard.points.missing"},
		{Row: 9, Field: "分值", Message: "standard.number.invalid", Value: "五分"},
		{Row: 10, Field: "编号", Message: "standard.item.duplicate", Value: "1.1"},
		{Row: 11, Field: "评分方法", Message: "standard.method.unknown", Value: "打分"},
		{Row: 12, Field: "关联指标", Message: "standard.indicator.missing"},
	}
	book := sheetBook{{name: "评分标准",
		rows: [][]any{
			{"标准名称", "健康村创建标准"}, {"标准编号", "HC-BAD"}, {"创建类型", "健康村"}, {"适用对象", "村"},
			nil,
			{"一级指标", "编号", "评分内容", "分值", "评分方法", "关联指标", "目标值"},
			{"组织管理", "1.1", "成立领导小组", 5, "是"},
			{nil, "1.2", "制定工作计划", nil, "是"},
			{nil, "1.3", "召开工作会议", "五分", "是"},
			{"健康环境", "1.1", "重复的项目", 5, "是"},
			{nil, "2.2", "垃圾分类", 5, "打分"},
			{nil, "2.3", "饮用水合格率", 10, "达标", nil, "90%"},
			{nil, "2.4", "健康步道", 5, "是"},
		},
		merges: [][2]string{{"A7", "A9"}, {"A10", "A13"}},
	}}
	tests := []struct {
		name, filename string
		data           []byte
	}{
		{"csv", "bad.csv", sheetReadFile(t, "bad.csv")},
		{"xlsx", "bad.xlsx", book.bytes(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSheet(bytes.NewReader(tt.data), tt.filename)
			if s != nil {
				t.Errorf("got a standard with the errors")
			}
			sheetErrorsEqual(t, err, want)
		})
	}
}

func TestParseSheetErrors(t *testing.T) {
	good := sheetReadFile(t, "good_bom.csv")
	goodBook := sheetGoodBook().bytes(t)
	fe := func(row int, field, msg, value string) healthcell.FieldError {
		return healthcell.FieldError{Row: row, Field: field, Message: msg, Value: value}
	}
	tests := []struct {
		name     string
		filename string
		data     []byte
		want     []healthcell.FieldError
	}{
		{"xls extension", "标准.xls", good, []healthcell.FieldError{fe(0, "file", "standard.file.type", "标准.xls")}},
		{"txt extension", `C:\上传\标准.txt`, good, []healthcell.FieldError{fe(0, "file", "standard.file.type", `C:\上传\标准.txt`)}},
		{"no extension", "standard", good, []healthcell.FieldError{fe(0, "file", "standard.file.type", "standard")}},
		{"empty csv", "e.csv", nil, []healthcell.FieldError{fe(0, "file", "standard.file.empty", "")}},
		{"csv with only a BOM", "e.csv", []byte("\ufeff"), []healthcell.FieldError{fe(0, "file", "standard.file.empty", "")}},
		{"csv of blank cells", "e.csv", []byte(" , ,\r\n\r\n,,\n"), []healthcell.FieldError{fe(0, "file", "standard.file.empty", "")}},
		{"empty xlsx", "e.xlsx", sheetBook{{name: "Sheet1"}}.bytes(t), []healthcell.FieldError{fe(0, "file", "standard.file.empty", "")}},
		{"corrupt xlsx", "c.xlsx", []byte("PK\x03\x04 not really a zip"), []healthcell.FieldError{fe(0, "file", "standard.file.unreadable", "")}},
		{"truncated xlsx", "c.xlsx", goodBook[:len(goodBook)/2], []healthcell.FieldError{fe(0, "file", "standard.file.unreadable", "")}},
		{"binary csv", "c.csv", goodBook, []healthcell.FieldError{fe(0, "file", "standard.file.unreadable", "")}},
		{"file too large", "l.csv", bytes.Repeat([]byte("a"), 10<<20+1), []healthcell.FieldError{fe(0, "file", "standard.file.unreadable", "")}},
		{"too many rows", "l.csv", []byte(strings.Repeat("\n", 10001) + "a"), []healthcell.FieldError{fe(0, "file", "standard.file.unreadable", "")}},
		{"too many cells", "l.csv", []byte(strings.Repeat(",", 500001)), []healthcell.FieldError{fe(0, "file", "standard.file.unreadable", "")}},
		{"many blank rows are fine", "l.csv", []byte(strings.Repeat("\n", 9990)), []healthcell.FieldError{fe(0, "file", "standard.file.empty", "")}},
		{
			"missing header columns", "h.csv",
			[]byte(sheetMetaCSV + "一级指标,评分内容,备注\n组织管理,成立小组,无\n"),
			[]healthcell.FieldError{fe(5, "header", "standard.header.missing", "分值、评分方法")},
		},
		{
			"no header row", "h.csv",
			[]byte(sheetMetaCSV + "指标,内容,分数\n组织管理,成立小组,5\n"),
			[]healthcell.FieldError{fe(0, "header", "standard.header.missing", "一级指标、评分内容、分值、评分方法")},
		},
		{
			"a title 评分标准 is not the header", "h.csv",
			[]byte("评分标准\n" + sheetMetaCSV + "一级指标,评分内容,分值,评分方法\n"),
			[]healthcell.FieldError{fe(0, "items", "standard.items.empty", "")},
		},
		{
			"header without items", "h.csv",
			[]byte(sheetMetaCSV + "一级指标,评分内容,分值,评分方法\n,,,\n"),
			[]healthcell.FieldError{fe(0, "items", "standard.items.empty", "")},
		},
		{
			"fields missing", "m.csv",
			[]byte("一级指标,评分内容,分值,评分方法\n一,a,5,是\n"),
			[]healthcell.FieldError{fe(0, "meta", "standard.meta.missing", "标准名称、标准编号、创建类型、适用对象")},
		},
		{
			"some fields missing", "m.csv",
			[]byte("标准名称：健康村\n创建类型,健康村,标准编号,\n一级指标,评分内容,分值,评分方法\n一,a,5,是\n"),
			[]healthcell.FieldError{fe(0, "meta", "standard.meta.missing", "标准编号、适用对象")},
		},
		{
			"bad field values", "m.csv",
			[]byte("标准名称,x\n标准编号,HC 01\n创建类型,健康村\n适用对象,城市\n总分,一百\n否决项最低得分率,75\n" +
				"复审周期（年）,两年\n等级,铜;银:80\n一级指标,评分内容,分值,评分方法\n一,a,5,是\n"),
			[]healthcell.FieldError{
				fe(2, "标准编号", "standard.code.invalid", "HC 01"),
				fe(4, "适用对象", "standard.unit_kind.invalid", "城市"),
				fe(5, "总分", "standard.number.invalid", "一百"),
				fe(6, "否决项最低得分率", "standard.veto_rate.invalid", "75"),
				fe(7, "复审周期（年）", "standard.number.invalid", "两年"),
				fe(8, "等级", "standard.number.invalid", "铜;银:80"),
			},
		},
		{
			"bad cells", "c.csv",
			[]byte(sheetMetaCSV + "一级指标,评分内容,分值,评分方法,分级,否决项,加分项,目标值,最少次数,关联指标,活动类型\n" +
				"一,a,5,是,,可能,,,,,\n" +
				"一,b,5,分级,好;中,,,,,,\n" +
				"一,c,5,达标,,,,高,,rate,\n" +
				"一,d,5,计数,,,,,3.5,,lecture\n" +
				"一,e,5,是,,,X,,,,\n"),
			[]healthcell.FieldError{
				fe(6, "否决项", "standard.flag.invalid", "可能"),
				fe(7, "分级", "standard.number.invalid", "好;中"),
				fe(8, "目标值", "standard.number.invalid", "高"),
				fe(9, "最少次数", "standard.number.invalid", "3.5"),
				fe(10, "加分项", "standard.flag.invalid", "X"),
			},
		},
		{
			"problems found by Validate", "v.csv",
			[]byte(sheetMetaCSV + "一级指标,评分内容,分值,评分方法,分级,目标值,最少次数,关联指标,活动类型\n" +
				"一,a,5,计数,,,2,,\n" +
				"一,b,5,分级,,,,,\n" +
				"一,c,5,分级,好:8;差:0,,,,\n" +
				"一,d,5,达标,,北:90,,rate,\n" +
				"一,,5,是,,,,,\n" +
				"一,f,-1,是,,,,,\n" +
				"一,g,5,不超过,,,,rate,\n"),
			[]healthcell.FieldError{
				fe(6, "活动类型", "standard.activity.missing", ""),
				fe(7, "分级", "standard.grades.missing", ""),
				fe(8, "分级", "standard.grades.points", "好:8;差:0"),
				fe(9, "目标值", "standard.region.unknown", "北:90"),
				fe(10, "评分内容", "field.required", ""),
				fe(11, "分值", "standard.points.negative", "-1"),
				fe(12, "目标值", "standard.target.missing", ""),
			},
		},
		{
			"total differs", "t.csv",
			[]byte(sheetMetaCSV + "总分,50\n一级指标,评分内容,分值,评分方法\n一,a,5,是\n"),
			[]healthcell.FieldError{fe(5, "总分", "standard.total.mismatch", "50")},
		},
		{
			"pass score too high", "t.csv",
			[]byte(sheetMetaCSV + "合格分数,60\n一级指标,评分内容,分值,评分方法\n一,a,5,是\n"),
			[]healthcell.FieldError{fe(5, "合格分数", "standard.pass.too_high", "60")},
		},
		{
			"levels out of order", "t.csv",
			[]byte(sheetMetaCSV + "等级,金:90;银:80\n一级指标,评分内容,分值,评分方法\n一,a,5,是\n"),
			[]healthcell.FieldError{fe(5, "等级", "standard.levels.order", "金:90;银:80")},
		},
		{
			"a multi-line cell is one row", "t.csv",
			[]byte(sheetMetaCSV + "一级指标,评分内容,分值,评分方法\n一,\"第一行\r\n第二行\",5,是\n\n一,b,,是\n"),
			[]healthcell.FieldError{fe(8, "分值", "standard.points.missing", "")},
		},
		{
			"评分标准 and 序号 columns are named as in the file", "t.csv",
			[]byte(sheetMetaCSV + "一级指标,序号,评分标准,分值,评分方法\n一,1,a,5,是\n一,1,,5,是\n"),
			[]healthcell.FieldError{fe(7, "序号", "standard.item.duplicate", "1"), fe(7, "评分标准", "field.required", "")},
		},
		{
			"标准信息 sheet problems come first, at their row", "i.xlsx",
			sheetBook{
				{name: "评分标准", rows: [][]any{{"一级指标", "评分内容", "分值", "评分方法"}, {"一", "a", nil, "是"}}},
				{name: "标准信息", rows: [][]any{{"标准名称", "n"}, {"标准编号", "c"}, {"总分", "abc"}, {"创建类型", "健康村"}, {"适用对象", "村"}}},
			}.bytes(t),
			[]healthcell.FieldError{fe(3, "总分", "standard.number.invalid", "abc"), fe(2, "分值", "standard.points.missing", "")},
		},
		{
			"workbook without a table", "i.xlsx",
			sheetBook{{name: "标准信息", rows: [][]any{{"标准名称", "n"}, {"标准编号", "c"}, {"创建类型", "健康村"}, {"适用对象", "村"}}}}.bytes(t),
			[]healthcell.FieldError{fe(0, "header", "standard.header.missing", "一级指标、评分内容、分值、评分方法")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSheet(bytes.NewReader(tt.data), tt.filename)
			if s != nil {
				t.Errorf("got a standard with the errors")
			}
			sheetErrorsEqual(t, err, tt.want)
		})
	}
}

func TestSheetRoundTrip(t *testing.T) {
	writers := []struct {
		name     string
		filename string
		write    func(*bytes.Buffer, *healthcell.Standard) error
	}{
		{"xlsx", "s.xlsx", func(b *bytes.Buffer, s *healthcell.Standard) error { return WriteXLSX(b, s) }},
		{"csv", "s.csv", func(b *bytes.Buffer, s *healthcell.Standard) error { return WriteCSV(b, s) }},
	}
	standards := []struct {
		name string
		s    func() *healthcell.Standard
	}{
		{"sample", sheetSample},
		{"tricky", sheetTricky},
		{"minimal", sheetMinimal},
	}
	for _, w := range writers {
		for _, st := range standards {
			t.Run(w.name+"/"+st.name, func(t *testing.T) {
				want := st.s()
				if err := want.Validate(); err != nil {
					t.Fatalf("the test standard is invalid: %v", err)
				}
				var buf bytes.Buffer
				if err := w.write(&buf, st.s()); err != nil {
					t.Fatal(err)
				}
				got, err := ParseSheet(&buf, w.filename)
				if err != nil {
					t.Fatal(err)
				}
				sheetEqual(t, got, want)
			})
		}
	}
}

func TestWriteXLSXLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sheetSample()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"标准信息", "评分标准"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	if v, _ := f.GetCellValue("标准信息", "B1"); v != "健康村创建标准" {
		t.Errorf("标准信息 B1 = %q", v)
	}
	header, _ := f.GetRows("评分标准")
	if len(header) != 8 || header[0][0] != "一级指标" || header[0][3] != "评分内容" {
		t.Errorf("table rows %d, header %v", len(header), header[0])
	}
	merged, err := f.GetMergeCells("评分标准")
	if err != nil {
		t.Fatal(err)
	}
	var ranges []string
	for _, m := range merged {
		ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	want := []string{"A2:A4", "B2:B3", "A5:A6", "A7:A8"}
	if !sheetSameStrings(ranges, want) {
		t.Errorf("merged %v, want %v", ranges, want)
	}
}

func sheetSameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestWriteCSVStartsWithBOM(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sheetTricky()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeff标准名称,") {
		t.Errorf("csv starts %q", out[:min(len(out), 40)])
	}
	if !strings.Contains(out, ",'=1+1 不是公式,") {
		t.Errorf("a formula-like cell is not guarded:\n%s", out)
	}
}

// sheetMessageKeys returns the keys of the Chinese message catalog.
func sheetMessageKeys(t testing.TB) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "locale", "messages", "zh-CN.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for k := range m {
		keys[k] = true
	}
	return keys
}

func FuzzParseSheet(f *testing.F) {
	for _, name := range []string{"good_bom.csv", "good_gb18030.csv", "bad.csv"} {
		f.Add(sheetReadFile(f, name))
	}
	for _, s := range []*healthcell.Standard{sheetSample(), sheetTricky(), sheetMinimal()} {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, s); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(sheetMetaCSV + "一级指标,二级指标,评分内容,分值,评分方法\n一,,\"a\"\"b\",5,是\n,—,c,5,分级\n"))
	keys := sheetMessageKeys(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSheet(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if healthcell.ErrorCode(err) != healthcell.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			fields := healthcell.ErrorFields(err)
			if len(fields) == 0 {
				t.Fatal("EINVALID without field errors")
			}
			type key struct {
				row   int
				field string
			}
			seen := map[key]bool{}
			for _, fe := range fields {
				if !keys[fe.Message] {
					t.Errorf("message %q is not in the catalog", fe.Message)
				}
				k := key{fe.Row, fe.Field}
				if seen[k] {
					t.Errorf("two errors for row %d field %s: %v", fe.Row, fe.Field, fields)
				}
				seen[k] = true
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("parsed an invalid standard: %v", err)
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, s); err != nil {
			t.Fatal(err)
		}
		again, err := ParseSheet(&buf, "again.csv")
		if err != nil {
			t.Fatalf("written standard does not read back: %v\n%s", err, buf.String())
		}
		sheetEqual(t, again, s)
	})
}
