package standardfile

// The YAML format of a standard, as shipped in catalog/standards/*.yaml:
//
//	code: healthy-village            # unique, no spaces or / \ ? # %
//	name: 健康村评价标准
//	cell_type: 健康村                 # 健康村, 健康社区, 健康家庭, 健康促进学校, …
//	unit_kind: village               # village community household school hospital agency enterprise township
//	issuer: 发布机关
//	owner: "51"                      # optional: the province, city or county whose 爱卫会 owns it
//	source: 依据的文件
//	notes: 说明（所有 default: true 的数字都应在此说明）
//	total_points: 100                # sum of the points of the non-bonus items
//	pass_score: 80
//	veto_min_rate: 0.75              # optional; 0 or absent: every veto item must be met
//	review_years: 3                  # optional; a named unit is reviewed every N years
//	regions: [东, 中, 西]             # optional; the keys of per-region targets
//	levels:                          # optional, ascending
//	  - {name: 铜, min: 70}
//	sections:
//	  - name: 一级指标
//	    subsections:                 # either subsections …
//	      - name: 二级指标
//	        items: [...]
//	  - name: 另一个一级指标
//	    items: [...]                 # … or items directly, not both
//
// An item:
//
//	- code: "1.1"                    # unique within the standard
//	  text: 评分内容
//	  points: 5                      # required, ≥ 0
//	  method: egt                    # yes no graded egt elt count attach
//	  grades: [{label: 好, points: 5}, {label: 差, points: 0}]   # graded
//	  indicator: knowledge_rate      # egt, elt
//	  target: 90                     # egt, elt
//	  targets: {东: 95, 中: 90, 西: 80}  # egt, elt: per region (keys from regions)
//	  activity: lecture              # count
//	  min_count: 4                   # count
//	  evidence: 佐证材料              # what proof is expected, any method
//	  veto: true                     # 否决项 / 前提条件
//	  bonus: true                    # 加分项, not counted in total_points
//	  default: true                  # a number we chose: the source document gives none
//
// Unknown keys are errors. A section name may repeat; its entries then
// follow one another in item order, which is how WriteYAML writes a section
// whose items are partly in subsections and partly not.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

// Message keys of the errors that ParseYAML adds to Standard.Validate's.
const (
	MsgYAMLSyntax    = "standard.yaml.syntax"     // the text is not YAML of this format; Value has the parser's message
	MsgFileEmpty     = "standard.file.empty"      // nothing but blanks and comments
	MsgFileUnread    = "standard.file.unreadable" // the reader failed
	MsgPointsMissing = "standard.points.missing"  // an item without points
	MsgNumberInvalid = "standard.number.invalid"  // NaN or an infinity
)

type yamlStandard struct {
	Code        string        `yaml:"code"`
	Name        string        `yaml:"name"`
	CellType    string        `yaml:"cell_type"`
	UnitKind    string        `yaml:"unit_kind"`
	Issuer      string        `yaml:"issuer"`
	Owner       string        `yaml:"owner"`
	Source      string        `yaml:"source"`
	Notes       string        `yaml:"notes"`
	TotalPoints float64       `yaml:"total_points"`
	PassScore   float64       `yaml:"pass_score"`
	VetoMinRate float64       `yaml:"veto_min_rate"`
	ReviewYears int           `yaml:"review_years"`
	Regions     []string      `yaml:"regions"`
	Levels      []yamlLevel   `yaml:"levels"`
	Sections    []yamlSection `yaml:"sections"`
}

type yamlLevel struct {
	Name string  `yaml:"name"`
	Min  float64 `yaml:"min"`
}

type yamlSection struct {
	Name        string           `yaml:"name"`
	Subsections []yamlSubsection `yaml:"subsections"`
	Items       []yamlItem       `yaml:"items"`
}

type yamlSubsection struct {
	Name  string     `yaml:"name"`
	Items []yamlItem `yaml:"items"`
}

type yamlItem struct {
	Code      string             `yaml:"code"`
	Text      string             `yaml:"text"`
	Points    float64            `yaml:"points"`
	Method    string             `yaml:"method"`
	Grades    []yamlGrade        `yaml:"grades"`
	Indicator string             `yaml:"indicator"`
	Target    float64            `yaml:"target"`
	Targets   map[string]float64 `yaml:"targets"`
	Activity  string             `yaml:"activity"`
	MinCount  int                `yaml:"min_count"`
	Evidence  string             `yaml:"evidence"`
	Veto      bool               `yaml:"veto"`
	Bonus     bool               `yaml:"bonus"`
	Default   bool               `yaml:"default"`
}

type yamlGrade struct {
	Label  string  `yaml:"label"`
	Points float64 `yaml:"points"`
}

// ParseYAML reads a standard in the YAML format described at the top of this
// file and validates it. Every problem is reported in one EINVALID
// *healthcell.Error whose FieldErrors carry in Row the YAML line at fault (0
// when there is none): the line of the offending key, or of the item when the
// key is absent. A text that is not YAML of this format (a syntax error, an
// unknown key, a number that is not one) gives FieldErrors with Field "yaml"
// and Message "standard.yaml.syntax", the parser's message in Value. The
// Value of a duplicate item code names the line of its first use. ParseYAML
// never panics.
func ParseYAML(r io.Reader) (s *healthcell.Standard, err error) {
	return ParseYAMLChecked(r, nil)
}

// ParseYAMLChecked is ParseYAML that also checks, when known is not nil,
// every indicator and activity the items name (Standard.CheckCodes); an
// unknown code is reported like any other problem, at its key's line.
func ParseYAMLChecked(r io.Reader, known *healthcell.StandardCodes) (s *healthcell.Standard, err error) {
	defer func() {
		// yaml.v3 has had panics on hostile input; whatever remains must
		// reach the user as a bad file, not a crash.
		if p := recover(); p != nil {
			s, err = nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Value: fmt.Sprint(p)}})
		}
	}()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileUnread, Value: err.Error()}})
	}

	// The strict decode finds unknown keys and values of the wrong type; the
	// node tree only gives the lines.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var ys yamlStandard
	if err := dec.Decode(&ys); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileEmpty}})
		}
		return nil, healthcell.Invalid(yamlSyntaxErrors(err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Row: extra.Line, Value: "more than one YAML document"}})
	} else if !errors.Is(err, io.EOF) {
		return nil, healthcell.Invalid(yamlSyntaxErrors(err))
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, healthcell.Invalid(yamlSyntaxErrors(err))
	}
	lines := yamlLinesOf(&root)

	s = &healthcell.Standard{
		Code: ys.Code, Name: ys.Name, CellType: ys.CellType, UnitKind: ys.UnitKind,
		Issuer: ys.Issuer, Owner: ownerCode(ys.Owner), Source: ys.Source, Notes: ys.Notes,
		TotalPoints: ys.TotalPoints, PassScore: ys.PassScore, VetoMinRate: ys.VetoMinRate,
		ReviewYears: ys.ReviewYears, Regions: ys.Regions,
	}
	var fe []healthcell.FieldError
	number := func(row int, field string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			fe = append(fe, healthcell.FieldError{Row: row, Field: field, Message: MsgNumberInvalid, Value: fmt.Sprint(v)})
		}
	}
	number(lines.top["total_points"], "total_points", ys.TotalPoints)
	number(lines.top["pass_score"], "pass_score", ys.PassScore)
	number(lines.top["veto_min_rate"], "veto_min_rate", ys.VetoMinRate)
	for i, l := range ys.Levels {
		s.Levels = append(s.Levels, healthcell.Level{Name: l.Name, Min: l.Min})
		row := lines.top["levels"]
		if i < len(lines.levels) {
			row = lines.levels[i]
		}
		number(row, "levels", l.Min)
	}

	for si, sec := range ys.Sections {
		secLine := lines.top["sections"]
		if si < len(lines.sections) {
			secLine = lines.sections[si]
		}
		if si < len(lines.mixed) && lines.mixed[si] {
			fe = append(fe, healthcell.FieldError{Row: secLine, Field: "yaml", Message: MsgYAMLSyntax,
				Value: fmt.Sprintf("section %q has both items and subsections", sec.Name)})
		}
		add := func(sub string, yi yamlItem) {
			it := healthcell.Item{
				Code: yi.Code, Section: sec.Name, Subsection: sub, Text: yi.Text,
				Points: yi.Points, Method: yi.Method, Veto: yi.Veto, Bonus: yi.Bonus,
				Indicator: yi.Indicator, Target: yi.Target, Activity: yi.Activity,
				MinCount: yi.MinCount, Evidence: yi.Evidence, Default: yi.Default,
			}
			for _, g := range yi.Grades {
				it.Grades = append(it.Grades, healthcell.Grade{Label: g.Label, Points: g.Points})
			}
			if len(yi.Targets) > 0 {
				it.Targets = yi.Targets
			}
			s.Items = append(s.Items, it)
		}
		for _, yi := range sec.Items {
			add("", yi)
		}
		for _, sub := range sec.Subsections {
			for _, yi := range sub.Items {
				add(sub.Name, yi)
			}
		}
	}
	// The node walk follows the same order; should it ever disagree (it
	// cannot for a text that decoded), item errors point at the sections key.
	if len(lines.items) != len(s.Items) {
		lines.items = nil
	}
	for i := range s.Items {
		it := &s.Items[i]
		pos := lines.item(i)
		if pos.keys != nil {
			if _, ok := pos.keys["points"]; !ok {
				fe = append(fe, healthcell.FieldError{Row: pos.line, Field: "points", Message: MsgPointsMissing, Value: it.Code})
			}
		}
		number(pos.key("points"), "points", it.Points)
		number(pos.key("target"), "target", it.Target)
		for _, g := range it.Grades {
			number(pos.key("grades"), "grades", g.Points)
		}
		for _, t := range it.Targets {
			number(pos.key("targets"), "targets", t)
		}
	}

	if err := validate(s, known); err != nil {
		for _, f := range healthcell.ErrorFields(err) {
			if f.Message == "standard.item.duplicate" && f.Row > 0 && f.Row <= len(s.Items) {
				code := s.Items[f.Row-1].Code
				for i := range s.Items {
					if s.Items[i].Code == code {
						f.Value = fmt.Sprintf("%s (%d)", code, lines.item(i).key("code"))
						break
					}
				}
			}
			f.Row = lines.row(s, f)
			fe = append(fe, f)
		}
	}
	if len(fe) > 0 {
		sort.SliceStable(fe, func(i, j int) bool { return fe[i].Row < fe[j].Row })
		return nil, healthcell.Invalid(fe)
	}
	return s, nil
}

// ownerCode returns an owner as written (a 2, 4 or 6 digit code, or 12
// digits) as its 12-digit code; anything else is returned as written, for
// Standard.Validate to report.
func ownerCode(s string) string {
	if c := healthcell.NormalizeCode(s); c != "" {
		return c
	}
	return s
}
