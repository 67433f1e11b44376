package standardfile

// The YAML format of a standard, as shipped in catalog/standards/*.yaml:
//
//	code: healthy-village            # unique, no spaces or / \ ? # %
//	name: 健康村评价标准
//	cell_type: 健康村                 # 健康村, 健康社区, 健康家庭, 健康促进学校, …
//	unit_kind: village               # village community household school hospital agency enterprise township
//	issuer: 发布机关
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
	"regexp"
	"sort"
	"strconv"
	"strings"

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
		Issuer: ys.Issuer, Source: ys.Source, Notes: ys.Notes,
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

	if err := s.Validate(); err != nil {
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

var yamlLineRe = regexp.MustCompile(`(?s)^line (\d+): (.*)$`)

// yamlSyntaxErrors turns a yaml.v3 error into field errors, one per problem,
// with the line when the parser gives one and without Go type names.
func yamlSyntaxErrors(err error) []healthcell.FieldError {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var fe []healthcell.FieldError
	for _, m := range msgs {
		m = strings.TrimPrefix(strings.TrimSpace(m), "yaml: ")
		row := 0
		if sm := yamlLineRe.FindStringSubmatch(m); sm != nil {
			row, _ = strconv.Atoi(sm[1])
			m = sm[2]
		}
		if i := strings.Index(m, " in type standardfile."); i >= 0 {
			m = m[:i]
		}
		m = strings.ReplaceAll(m, "into standardfile.yaml", "into ")
		fe = append(fe, healthcell.FieldError{Field: "yaml", Message: MsgYAMLSyntax, Row: row, Value: m})
	}
	return fe
}

// yamlLines holds the lines of the parts of a standard's YAML text.
type yamlLines struct {
	top      map[string]int // top-level key → its line
	levels   []int
	sections []int           // line of each section's name (or of the section)
	mixed    []bool          // the section has both items and subsections
	items    []yamlItemLines // in flattened item order
}

type yamlItemLines struct {
	line    int            // the item's first line
	section int            // the line of its section's name
	keys    map[string]int // key → its line
}

func (p yamlItemLines) key(k string) int {
	if l, ok := p.keys[k]; ok {
		return l
	}
	return p.line
}

func (l *yamlLines) item(i int) yamlItemLines {
	if i >= 0 && i < len(l.items) {
		return l.items[i]
	}
	return yamlItemLines{line: l.top["sections"]}
}

// row returns the YAML line of a field error of Standard.Validate, whose
// Row is a 1-based item number or 0 for the standard's own fields. The
// Value of a duplicate item code is rewritten by ParseYAML.
func (l *yamlLines) row(s *healthcell.Standard, f healthcell.FieldError) int {
	if f.Row == 0 {
		switch f.Field {
		case "items":
			return l.top["sections"]
		case "levels":
			for i := 1; i < len(s.Levels) && i < len(l.levels); i++ {
				if s.Levels[i].Name == f.Value && s.Levels[i].Min <= s.Levels[i-1].Min {
					return l.levels[i]
				}
			}
		}
		return l.top[f.Field]
	}
	pos := l.item(f.Row - 1)
	if f.Field == "section" {
		if pos.section != 0 {
			return pos.section
		}
		return pos.line
	}
	return pos.key(f.Field)
}

// yamlNode follows aliases (bounded, although a decoded text has no cycles).
func yamlNode(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return yamlNode(n.Content[0])
	}
	return n
}

// yamlKeys returns the keys of a mapping with their key and value nodes,
// merge keys (<<) included, the mapping's own keys winning.
func yamlKeys(n *yaml.Node, depth int) map[string][2]*yaml.Node {
	n = yamlNode(n)
	out := map[string][2]*yaml.Node{}
	if n == nil || n.Kind != yaml.MappingNode || depth > 8 {
		return out
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag != "!!str" {
			merges = append(merges, v)
			continue
		}
		if _, dup := out[k.Value]; !dup {
			out[k.Value] = [2]*yaml.Node{k, v}
		}
	}
	for _, m := range merges {
		m = yamlNode(m)
		var list []*yaml.Node
		if m != nil && m.Kind == yaml.SequenceNode {
			list = m.Content
		} else {
			list = []*yaml.Node{m}
		}
		for _, mm := range list {
			for k, kv := range yamlKeys(mm, depth+1) {
				if _, ok := out[k]; !ok {
					out[k] = kv
				}
			}
		}
	}
	return out
}

func yamlSeq(n *yaml.Node) []*yaml.Node {
	n = yamlNode(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// yamlLinesOf walks the node tree in the order ParseYAML flattens items.
func yamlLinesOf(root *yaml.Node) *yamlLines {
	l := &yamlLines{top: map[string]int{}}
	top := yamlKeys(root, 0)
	for k, kv := range top {
		l.top[k] = kv[0].Line
	}
	if kv, ok := top["levels"]; ok {
		for _, n := range yamlSeq(kv[1]) {
			l.levels = append(l.levels, yamlNode(n).Line)
		}
	}
	kv, ok := top["sections"]
	if !ok {
		return l
	}
	itemsOf := func(seq *yaml.Node, secLine int) {
		for _, n := range yamlSeq(seq) {
			in := yamlNode(n)
			p := yamlItemLines{line: in.Line, section: secLine, keys: map[string]int{}}
			for k, kv := range yamlKeys(in, 0) {
				p.keys[k] = kv[0].Line
			}
			l.items = append(l.items, p)
		}
	}
	for _, sn := range yamlSeq(kv[1]) {
		keys := yamlKeys(sn, 0)
		line := yamlNode(sn).Line
		if name, ok := keys["name"]; ok {
			line = name[0].Line
		}
		l.sections = append(l.sections, line)
		_, hasItems := keys["items"]
		_, hasSubs := keys["subsections"]
		l.mixed = append(l.mixed, hasItems && hasSubs)
		if items, ok := keys["items"]; ok {
			itemsOf(items[1], line)
		}
		if subs, ok := keys["subsections"]; ok {
			for _, sub := range yamlSeq(subs[1]) {
				if items, ok := yamlKeys(sub, 0)["items"]; ok {
					itemsOf(items[1], line)
				}
			}
		}
	}
	return l
}

// WriteYAML writes s in the format ParseYAML reads, its items regrouped into
// sections and subsections in item order, so that ParseYAML gives back the
// same standard (ID, Version and the creation fields are not written).
func WriteYAML(w io.Writer, s *healthcell.Standard) error {
	if s == nil {
		return errors.New("standardfile: WriteYAML of a nil standard")
	}
	doc := yamlMap()
	yamlPut(doc, "code", yamlStr(s.Code))
	yamlPut(doc, "name", yamlStr(s.Name))
	yamlPut(doc, "cell_type", yamlStr(s.CellType))
	yamlPut(doc, "unit_kind", yamlStr(s.UnitKind))
	yamlPut(doc, "issuer", yamlStr(s.Issuer))
	yamlPut(doc, "source", yamlStr(s.Source))
	if s.Notes != "" {
		yamlPut(doc, "notes", yamlStr(s.Notes))
	}
	yamlPut(doc, "total_points", yamlNum(s.TotalPoints))
	yamlPut(doc, "pass_score", yamlNum(s.PassScore))
	if s.VetoMinRate != 0 {
		yamlPut(doc, "veto_min_rate", yamlNum(s.VetoMinRate))
	}
	if s.ReviewYears != 0 {
		yamlPut(doc, "review_years", yamlInt(s.ReviewYears))
	}
	if len(s.Regions) > 0 {
		seq := yamlList(true)
		for _, r := range s.Regions {
			seq.Content = append(seq.Content, yamlStr(r))
		}
		yamlPut(doc, "regions", seq)
	}
	if len(s.Levels) > 0 {
		seq := yamlList(false)
		for _, lv := range s.Levels {
			m := yamlMap()
			m.Style = yaml.FlowStyle
			yamlPut(m, "name", yamlStr(lv.Name))
			yamlPut(m, "min", yamlNum(lv.Min))
			seq.Content = append(seq.Content, m)
		}
		yamlPut(doc, "levels", seq)
	}

	sections := yamlList(false)
	for i := 0; i < len(s.Items); {
		// A run of items with the same section, cut where items pass
		// between having a subsection and not.
		j := i + 1
		for j < len(s.Items) && s.Items[j].Section == s.Items[i].Section &&
			(s.Items[j].Subsection == "") == (s.Items[i].Subsection == "") {
			j++
		}
		sec := yamlMap()
		yamlPut(sec, "name", yamlStr(s.Items[i].Section))
		if s.Items[i].Subsection == "" {
			yamlPut(sec, "items", yamlItems(s, s.Items[i:j]))
		} else {
			subs := yamlList(false)
			for a := i; a < j; {
				b := a + 1
				for b < j && s.Items[b].Subsection == s.Items[a].Subsection {
					b++
				}
				sub := yamlMap()
				yamlPut(sub, "name", yamlStr(s.Items[a].Subsection))
				yamlPut(sub, "items", yamlItems(s, s.Items[a:b]))
				subs.Content = append(subs.Content, sub)
				a = b
			}
			yamlPut(sec, "subsections", subs)
		}
		sections.Content = append(sections.Content, sec)
		i = j
	}
	yamlPut(doc, "sections", sections)

	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("standardfile: write %s: %w", s.Code, err)
	}
	return enc.Close()
}

func yamlItems(s *healthcell.Standard, items []healthcell.Item) *yaml.Node {
	seq := yamlList(false)
	for _, it := range items {
		m := yamlMap()
		yamlPut(m, "code", yamlStr(it.Code))
		yamlPut(m, "text", yamlStr(it.Text))
		yamlPut(m, "points", yamlNum(it.Points))
		yamlPut(m, "method", yamlStr(it.Method))
		if len(it.Grades) > 0 {
			gs := yamlList(true)
			for _, g := range it.Grades {
				gm := yamlMap()
				gm.Style = yaml.FlowStyle
				yamlPut(gm, "label", yamlStr(g.Label))
				yamlPut(gm, "points", yamlNum(g.Points))
				gs.Content = append(gs.Content, gm)
			}
			yamlPut(m, "grades", gs)
		}
		if it.Indicator != "" {
			yamlPut(m, "indicator", yamlStr(it.Indicator))
		}
		if it.Target != 0 {
			yamlPut(m, "target", yamlNum(it.Target))
		}
		if len(it.Targets) > 0 {
			tm := yamlMap()
			tm.Style = yaml.FlowStyle
			// The standard's regions first, in their order; then any other.
			done := map[string]bool{}
			var keys []string
			for _, r := range s.Regions {
				if _, ok := it.Targets[r]; ok && !done[r] {
					done[r] = true
					keys = append(keys, r)
				}
			}
			var rest []string
			for r := range it.Targets {
				if !done[r] {
					rest = append(rest, r)
				}
			}
			sort.Strings(rest)
			for _, r := range append(keys, rest...) {
				yamlPut(tm, r, yamlNum(it.Targets[r]))
			}
			yamlPut(m, "targets", tm)
		}
		if it.Activity != "" {
			yamlPut(m, "activity", yamlStr(it.Activity))
		}
		if it.MinCount != 0 {
			yamlPut(m, "min_count", yamlInt(it.MinCount))
		}
		if it.Evidence != "" {
			yamlPut(m, "evidence", yamlStr(it.Evidence))
		}
		for _, f := range []struct {
			key string
			on  bool
		}{{"veto", it.Veto}, {"bonus", it.Bonus}, {"default", it.Default}} {
			if f.on {
				yamlPut(m, f.key, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
			}
		}
		seq.Content = append(seq.Content, m)
	}
	return seq
}

func yamlMap() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

func yamlList(flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func yamlPut(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, yamlStr(key), v)
}

// yamlStr is a string scalar; the encoder quotes it when it would otherwise
// read as something else (a number, true, null, …).
func yamlStr(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	if strings.Contains(v, "\n") && !strings.ContainsAny(v, "\r\t") && !strings.HasSuffix(v, " ") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func yamlInt(v int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
}

// yamlNum writes a number in its shortest form: 5, 2.5, 1e+21.
func yamlNum(v float64) *yaml.Node {
	var s string
	switch {
	case math.IsNaN(v):
		s = ".nan"
	case math.IsInf(v, 1):
		s = ".inf"
	case math.IsInf(v, -1):
		s = "-.inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		s = strconv.FormatFloat(v, 'g', -1, 64)
	}
	tag := "!!float"
	if !strings.ContainsAny(s, ".eEn") {
		tag = "!!int"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}
}
