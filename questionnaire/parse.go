package questionnaire

// The YAML format of a questionnaire, as shipped in catalog/questionnaires:
//
//	code: health-literacy-2020       # unique; no spaces or / \ ? # %
//	name: 全国居民健康素养监测调查问卷
//	version: "2020"
//	source: 依据的文件
//	notes: 说明（哪些是我们编写或拟定的）
//	pass_rate: 0.8                   # passed at ≥ pass_rate × total points; 0 < pass_rate ≤ 1
//	age: {min: 15, max: 69}          # optional: the population of the indicator
//	total_points: 66                 # optional: checked against the items' points
//	counts: {truefalse: 8, single: 23, multiple: 15, scenario: 4}
//	                                 # optional, each key optional: truefalse, single and
//	                                 # multiple count items outside scenarios, scenario
//	                                 # the items of scenarios
//	aspects:                         # optional; then every item names one
//	  - {name: 基本知识和理念, items: 22, points: 28}   # items, points optional: checked
//	  - 基本技能                      # a name alone is also accepted
//	areas:                           # optional, as aspects
//	  - {name: 科学健康观, items: 8, points: 11}
//	parts:                           # optional; then every item names one
//	  - {code: knowledge, name: 健康知识, pass_rate: 0.8, items: 10, points: 12}
//	  - {code: behaviour, pass_rate: 0.8}
//	scenarios:                       # optional
//	  - code: S1
//	    text: 情景题的题干
//	items:
//	  - code: "1"                    # unique within the questionnaire
//	    type: single                 # truefalse single multiple
//	    text: 题目
//	    options:                     # single, multiple: labels A, B, C … in order, at most E
//	      A: 选项                     # (a true/false item has none: its options are 对 and 错)
//	      B: 选项
//	    answer: B                    # the key: B, ABD, "A,B,D", [A, B, D]; 对 or 错 for truefalse
//	    points: 1                    # optional, 1–100: 1 for truefalse and single, 2 for multiple
//	    aspect: 基本知识和理念         # required when aspects are declared, else absent
//	    area: 科学健康观               # required when areas are declared, else absent
//	    part: knowledge              # required when parts are declared, else absent
//	    scenario: S1                 # optional: the item belongs to that scenario
//	    optional: true               # optional: Check does not require an answer
//
// A single-choice item needs at least two options and one key, a multiple-
// choice item at least three options and two keys. Unknown and repeated keys
// are errors; anchors and aliases are not accepted.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

// Message keys of Parse's field errors. Row is the YAML line at fault; Field
// the dotted key ("code", "items.answer", "counts.single", …); Value the
// offending value or what was expected.
const (
	MsgFileUnreadable   = "questionnaire.file.unreadable"   // the reader failed
	MsgFileEmpty        = "questionnaire.file.empty"        // nothing but blanks and comments
	MsgYAMLSyntax       = "questionnaire.yaml.syntax"       // not YAML, several documents, or an alias; Value has the detail
	MsgKeyUnknown       = "questionnaire.key.unknown"       // a key this format does not have
	MsgKeyDuplicate     = "questionnaire.key.duplicate"     // a key given twice in one mapping
	MsgValueInvalid     = "questionnaire.value.invalid"     // a value of the wrong kind (a list for a text, a word for a number)
	MsgRequired         = "questionnaire.field.required"    // a required key is missing or blank
	MsgCodeInvalid      = "questionnaire.code.invalid"      // a code with spaces or / \ ? # %
	MsgCodeDuplicate    = "questionnaire.code.duplicate"    // two questionnaires with one code (LoadDir)
	MsgPassRateInvalid  = "questionnaire.pass_rate.invalid" // not in (0, 1]
	MsgAgeInvalid       = "questionnaire.age.invalid"       // not 0 ≤ min ≤ max ≤ 150
	MsgTypeUnknown      = "questionnaire.type.unknown"      // an item type other than truefalse, single, multiple
	MsgOptionInvalid    = "questionnaire.option.invalid"    // an option label out of order (A, B, C …) or past E
	MsgOptionsCount     = "questionnaire.options.count"     // too few options for the type
	MsgOptionsForbidden = "questionnaire.options.forbidden" // options on a true/false item
	MsgAnswerUnknown    = "questionnaire.answer.unknown"    // a key that is not among the options
	MsgAnswerDuplicate  = "questionnaire.answer.duplicate"  // a key label given twice
	MsgAnswerMultiple   = "questionnaire.answer.multiple"   // a multiple-choice item with fewer than two keys
	MsgAnswerSingle     = "questionnaire.answer.single"     // a true/false or single-choice item with several keys
	MsgItemDuplicate    = "questionnaire.item.duplicate"    // an item code used twice; Value names the first line
	MsgPointsInvalid    = "questionnaire.points.invalid"    // points not in 1–100
	MsgPointsTotal      = "questionnaire.points.total"      // total_points differs from the items' sum
	MsgCountMismatch    = "questionnaire.count.mismatch"    // a declared count per type differs from the items
	MsgGroupMismatch    = "questionnaire.group.mismatch"    // a declared aspect, area or part count differs from the items
	MsgGroupDuplicate   = "questionnaire.group.duplicate"   // an aspect, area, part or scenario declared twice
	MsgAspectUnknown    = "questionnaire.aspect.unknown"    // an item's aspect not declared
	MsgAreaUnknown      = "questionnaire.area.unknown"      // an item's area not declared
	MsgPartUnknown      = "questionnaire.part.unknown"      // an item's part not declared, or a part code other than knowledge, behaviour
	MsgScenarioUnknown  = "questionnaire.scenario.unknown"  // an item's scenario not declared
	MsgScenarioUnused   = "questionnaire.scenario.unused"   // a scenario no item belongs to
)

// Parse reads a questionnaire in the YAML format described at the top of this
// file and validates it. Every problem is reported in one EINVALID
// *healthcell.Error whose FieldErrors carry the YAML line in Row: the line of
// the offending key or value, or of the mapping that lacks a key. Parse never
// panics.
func Parse(r io.Reader) (q *Questionnaire, err error) {
	defer func() {
		// yaml.v3 has had panics on hostile input; whatever remains must
		// reach the user as a bad file, not a crash.
		if p := recover(); p != nil {
			q, err = nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Value: fmt.Sprint(p)}})
		}
	}()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileUnreadable, Value: err.Error()}})
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileEmpty}})
		}
		return nil, healthcell.Invalid([]healthcell.FieldError{syntaxError(err)})
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Row: extra.Line, Value: "more than one YAML document"}})
	} else if !errors.Is(err, io.EOF) {
		return nil, healthcell.Invalid([]healthcell.FieldError{syntaxError(err)})
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileEmpty}})
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileEmpty}})
	}
	if a := findAlias(root, 0); a != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Row: a.Line, Value: "anchors and aliases are not supported"}})
	}
	if root.Kind != yaml.MappingNode {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgValueInvalid, Row: root.Line, Value: "a mapping (key: value) is expected"}})
	}
	p := &parser{}
	q = p.questionnaire(root)
	if err := healthcell.Invalid(p.fe); err != nil {
		return nil, err
	}
	q.reindex()
	return q, nil
}

var yamlPrefix = strings.NewReplacer("yaml: ", "")

// syntaxError turns a yaml.v3 error into a field error, taking the line from
// "line N: …" when the message has one.
func syntaxError(err error) healthcell.FieldError {
	m := yamlPrefix.Replace(strings.TrimSpace(err.Error()))
	row := 0
	if rest, ok := strings.CutPrefix(m, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				row, m = n, strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return healthcell.FieldError{Field: "yaml", Message: MsgYAMLSyntax, Row: row, Value: m}
}

// findAlias returns the first alias node under n, or nil. The depth bound is
// far beyond any questionnaire and keeps a hostile text from recursing deeply.
func findAlias(n *yaml.Node, depth int) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.AliasNode || depth > 64 {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c, depth+1); a != nil {
			return a
		}
	}
	return nil
}

// LoadDir reads every *.yaml file at the root of fsys, in file-name order, and
// returns the questionnaires. An error names the file and wraps the EINVALID
// error of Parse; two files with one code give MsgCodeDuplicate. Pass an
// embed.FS through fs.Sub, or os.DirFS("catalog/questionnaires").
func LoadDir(fsys fs.FS) ([]*Questionnaire, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("questionnaires: %w", err)
	}
	out := make([]*Questionnaire, 0, len(names))
	seen := map[string]string{}
	for _, name := range names { // fs.Glob returns names sorted
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("questionnaire %s: %w", path.Base(name), err)
		}
		q, err := Parse(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("questionnaire %s: %w", path.Base(name), err)
		}
		if first, dup := seen[q.Code]; dup {
			return nil, fmt.Errorf("questionnaire %s: %w", path.Base(name), healthcell.Invalid([]healthcell.FieldError{
				{Field: "code", Message: MsgCodeDuplicate, Value: q.Code + " (also in " + first + ")"}}))
		}
		seen[q.Code] = path.Base(name)
		out = append(out, q)
	}
	return out, nil
}

type parser struct {
	fe []healthcell.FieldError
}

func (p *parser) add(row int, field, msg, value string) {
	p.fe = append(p.fe, healthcell.FieldError{Row: row, Field: field, Message: msg, Value: value})
}

// entry is a key and its value in a mapping.
type entry struct {
	key, val *yaml.Node
}

// fields is a mapping node read against a set of known keys.
type fields struct {
	p      *parser
	line   int    // the mapping's line, for missing keys
	prefix string // "" at the top, else "items." …
	m      map[string]entry
}

// mapping reads n as a mapping with the given keys, reporting unknown and
// repeated keys. A node that is not a mapping is reported and gives no keys.
func (p *parser) mapping(n *yaml.Node, field, prefix string, known ...string) *fields {
	f := &fields{p: p, line: n.Line, prefix: prefix, m: map[string]entry{}}
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, field, MsgValueInvalid, "a mapping (key: value) is expected")
		return f
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || !slices.Contains(known, k.Value) {
			p.add(k.Line, prefix+scalarText(k), MsgKeyUnknown, scalarText(k))
			continue
		}
		if prev, dup := f.m[k.Value]; dup {
			p.add(k.Line, prefix+k.Value, MsgKeyDuplicate, fmt.Sprintf("first on line %d", prev.key.Line))
			continue
		}
		f.m[k.Value] = entry{k, v}
	}
	return f
}

func scalarText(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

func (f *fields) has(key string) bool {
	e, ok := f.m[key]
	return ok && !(e.val.Kind == yaml.ScalarNode && e.val.Tag == "!!null")
}

// row is the line of key's value, or of the mapping when the key is absent.
func (f *fields) row(key string) int {
	if e, ok := f.m[key]; ok {
		return e.val.Line
	}
	return f.line
}

// str returns key's text, trimmed; a number or a boolean is taken as written.
func (f *fields) str(key string, required bool) string {
	e, ok := f.m[key]
	if !ok || (e.val.Kind == yaml.ScalarNode && e.val.Tag == "!!null") {
		if required {
			f.p.add(f.row(key), f.prefix+key, MsgRequired, "")
		}
		return ""
	}
	if e.val.Kind != yaml.ScalarNode {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "a text is expected")
		return ""
	}
	s := strings.TrimSpace(e.val.Value)
	if s == "" && required {
		f.p.add(e.val.Line, f.prefix+key, MsgRequired, "")
	}
	return s
}

// integer returns key's whole number and whether the key was given.
func (f *fields) integer(key string) (int, bool) {
	if !f.has(key) {
		return 0, false
	}
	e := f.m[key]
	var v int
	if e.val.Kind != yaml.ScalarNode || e.val.Tag != "!!int" || e.val.Decode(&v) != nil {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "a whole number is expected: "+scalarText(e.val))
		return 0, false
	}
	return v, true
}

// number returns key's finite number and whether the key was given.
func (f *fields) number(key string) (float64, bool) {
	if !f.has(key) {
		return 0, false
	}
	e := f.m[key]
	var v float64
	if e.val.Kind != yaml.ScalarNode || (e.val.Tag != "!!int" && e.val.Tag != "!!float") ||
		e.val.Decode(&v) != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "a number is expected: "+scalarText(e.val))
		return 0, false
	}
	return v, true
}

func (f *fields) boolean(key string) bool {
	if !f.has(key) {
		return false
	}
	e := f.m[key]
	var v bool
	if e.val.Kind != yaml.ScalarNode || e.val.Tag != "!!bool" || e.val.Decode(&v) != nil {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "true or false is expected: "+scalarText(e.val))
		return false
	}
	return v
}

// list returns key's sequence, or nil when absent or not a sequence.
func (f *fields) list(key string) []*yaml.Node {
	if !f.has(key) {
		return nil
	}
	e := f.m[key]
	if e.val.Kind != yaml.SequenceNode {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "a list is expected")
		return nil
	}
	return e.val.Content
}

func (f *fields) passRate(key string) float64 {
	v, ok := f.number(key)
	if !ok {
		if !f.has(key) {
			f.p.add(f.row(key), f.prefix+key, MsgRequired, "")
		}
		return 0
	}
	if v <= 0 || v > 1 {
		f.p.add(f.row(key), f.prefix+key, MsgPassRateInvalid, strconv.FormatFloat(v, 'f', -1, 64))
	}
	return v
}

// validCode reports whether a code has no blanks and none of / \ ? # %.
func validCode(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || strings.ContainsRune(`/\?#%`, r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// declared is a group as declared: its name, its line and the counts given.
type declared struct {
	name           string
	line           int
	items, points  int
	hasItems, hasP bool
}

// maxItemPoints bounds an item's points, far above any real item, so that
// no sum of points can overflow.
const maxItemPoints = 100

// rawItem is an item with the lines of its keys.
type rawItem struct {
	Item
	f *fields
}

func (p *parser) questionnaire(root *yaml.Node) *Questionnaire {
	f := p.mapping(root, "yaml", "", "code", "name", "version", "source", "notes", "pass_rate", "age",
		"total_points", "counts", "aspects", "areas", "parts", "scenarios", "items")
	q := &Questionnaire{
		Code:    f.str("code", true),
		Name:    f.str("name", true),
		Version: f.str("version", false),
		Source:  f.str("source", true),
		Notes:   f.str("notes", false),
	}
	if q.Code != "" && !validCode(q.Code) {
		p.add(f.row("code"), "code", MsgCodeInvalid, q.Code)
	}
	q.PassRate = f.passRate("pass_rate")
	if f.has("age") {
		af := p.mapping(f.m["age"].val, "age", "age.", "min", "max")
		lo, okLo := af.integer("min")
		hi, okHi := af.integer("max")
		if !af.has("min") {
			p.add(af.line, "age.min", MsgRequired, "")
		}
		if !af.has("max") {
			p.add(af.line, "age.max", MsgRequired, "")
		}
		if okLo && okHi {
			if lo < 0 || hi < lo || hi > 150 {
				p.add(af.line, "age", MsgAgeInvalid, fmt.Sprintf("%d–%d", lo, hi))
			}
			q.Age = &AgeRange{Min: lo, Max: hi}
		}
	}

	aspects := p.groups(f, "aspects")
	areas := p.groups(f, "areas")
	parts := p.parts(f, q)
	p.scenarios(f, q)

	items := f.list("items")
	if len(items) == 0 && !(f.has("items") && f.m["items"].val.Kind != yaml.SequenceNode) {
		p.add(f.row("items"), "items", MsgRequired, "")
	}
	firstLine := map[string]int{}
	for _, n := range items {
		if n.Kind != yaml.MappingNode {
			p.add(n.Line, "items", MsgValueInvalid, "an item (key: value) is expected")
			continue
		}
		ri := p.item(n, aspects, areas, parts, q)
		if ri.Code != "" {
			if l, dup := firstLine[ri.Code]; dup {
				p.add(ri.f.row("code"), "items.code", MsgItemDuplicate, fmt.Sprintf("%s (first on line %d)", ri.Code, l))
			} else {
				firstLine[ri.Code] = ri.f.row("code")
			}
		}
		q.Items = append(q.Items, ri.Item)
	}

	// Totals and counts.
	used := map[string]bool{}
	for _, it := range q.Items {
		q.TotalPoints += it.Points
		switch {
		case it.Scenario != "":
			q.Counts.Scenario++
			used[it.Scenario] = true
		case it.Type == TrueFalse:
			q.Counts.TrueFalse++
		case it.Type == Single:
			q.Counts.Single++
		case it.Type == Multiple:
			q.Counts.Multiple++
		}
	}
	if total, ok := f.integer("total_points"); ok && total != q.TotalPoints {
		p.add(f.row("total_points"), "total_points", MsgPointsTotal, fmt.Sprintf("declared %d, the items sum to %d", total, q.TotalPoints))
	}
	if f.has("counts") {
		cf := p.mapping(f.m["counts"].val, "counts", "counts.", "truefalse", "single", "multiple", "scenario")
		for _, c := range []struct {
			key   string
			found int
		}{{"truefalse", q.Counts.TrueFalse}, {"single", q.Counts.Single}, {"multiple", q.Counts.Multiple}, {"scenario", q.Counts.Scenario}} {
			if n, ok := cf.integer(c.key); ok && n != c.found {
				p.add(cf.row(c.key), "counts."+c.key, MsgCountMismatch, fmt.Sprintf("declared %d, found %d", n, c.found))
			}
		}
	}
	for _, s := range q.Scenarios {
		if !used[s.Code] {
			p.add(p.scenarioLine(f, s.Code), "scenarios.code", MsgScenarioUnused, s.Code)
		}
	}

	// Groups: computed, then checked against what the file declares.
	tally := func(key string, decl []declared, of func(*Item) string) []Group {
		if len(decl) == 0 {
			return nil
		}
		gs := make([]Group, len(decl))
		idx := map[string]int{}
		for i, d := range decl {
			gs[i].Name = d.name
			idx[d.name] = i
		}
		for i := range q.Items {
			if j, ok := idx[of(&q.Items[i])]; ok {
				gs[j].Items++
				gs[j].Points += q.Items[i].Points
			}
		}
		for i, d := range decl {
			if d.hasItems && d.items != gs[i].Items {
				p.add(d.line, key+".items", MsgGroupMismatch, fmt.Sprintf("%s: declared %d items, found %d", d.name, d.items, gs[i].Items))
			}
			if d.hasP && d.points != gs[i].Points {
				p.add(d.line, key+".points", MsgGroupMismatch, fmt.Sprintf("%s: declared %d points, found %d", d.name, d.points, gs[i].Points))
			}
		}
		return gs
	}
	q.Aspects = tally("aspects", aspects, func(it *Item) string { return it.Aspect })
	q.Areas = tally("areas", areas, func(it *Item) string { return it.Area })
	if pg := tally("parts", parts, func(it *Item) string { return it.Part }); pg != nil {
		for i := range q.Parts {
			q.Parts[i].Items, q.Parts[i].Points = pg[i].Items, pg[i].Points
		}
	}
	return q
}

// groups reads the aspects or areas list.
func (p *parser) groups(f *fields, key string) []declared {
	var out []declared
	seen := map[string]int{}
	for _, n := range f.list(key) {
		d := declared{line: n.Line}
		if n.Kind == yaml.ScalarNode {
			d.name = strings.TrimSpace(n.Value)
			if d.name == "" || n.Tag == "!!null" {
				p.add(n.Line, key+".name", MsgRequired, "")
				continue
			}
		} else {
			gf := p.mapping(n, key, key+".", "name", "items", "points")
			d.name = gf.str("name", true)
			d.items, d.hasItems = gf.integer("items")
			d.points, d.hasP = gf.integer("points")
			if d.name == "" {
				continue
			}
		}
		if l, dup := seen[d.name]; dup {
			p.add(n.Line, key+".name", MsgGroupDuplicate, fmt.Sprintf("%s (first on line %d)", d.name, l))
			continue
		}
		seen[d.name] = n.Line
		out = append(out, d)
	}
	return out
}

// parts reads the parts list into q.Parts and returns them as declared groups.
func (p *parser) parts(f *fields, q *Questionnaire) []declared {
	var out []declared
	seen := map[string]int{}
	for _, n := range f.list("parts") {
		pf := p.mapping(n, "parts", "parts.", "code", "name", "pass_rate", "items", "points")
		if n.Kind != yaml.MappingNode {
			continue
		}
		d := declared{line: n.Line}
		d.name = pf.str("code", true)
		d.items, d.hasItems = pf.integer("items")
		d.points, d.hasP = pf.integer("points")
		part := Part{Code: d.name, Name: pf.str("name", false), PassRate: pf.passRate("pass_rate")}
		switch d.name {
		case "":
			continue
		case PartKnowledge:
			if part.Name == "" {
				part.Name = "健康知识"
			}
		case PartBehaviour:
			if part.Name == "" {
				part.Name = "健康行为"
			}
		default:
			p.add(pf.row("code"), "parts.code", MsgPartUnknown, d.name)
			continue
		}
		if l, dup := seen[d.name]; dup {
			p.add(pf.row("code"), "parts.code", MsgGroupDuplicate, fmt.Sprintf("%s (first on line %d)", d.name, l))
			continue
		}
		seen[d.name] = pf.row("code")
		out = append(out, d)
		q.Parts = append(q.Parts, part)
	}
	return out
}

func (p *parser) scenarios(f *fields, q *Questionnaire) {
	seen := map[string]int{}
	for _, n := range f.list("scenarios") {
		sf := p.mapping(n, "scenarios", "scenarios.", "code", "text")
		if n.Kind != yaml.MappingNode {
			continue
		}
		s := Scenario{Code: sf.str("code", true), Text: sf.str("text", true)}
		if s.Code == "" {
			continue
		}
		if !validCode(s.Code) {
			p.add(sf.row("code"), "scenarios.code", MsgCodeInvalid, s.Code)
		}
		if l, dup := seen[s.Code]; dup {
			p.add(sf.row("code"), "scenarios.code", MsgGroupDuplicate, fmt.Sprintf("%s (first on line %d)", s.Code, l))
			continue
		}
		seen[s.Code] = sf.row("code")
		q.Scenarios = append(q.Scenarios, s)
	}
}

// scenarioLine is the line of a scenario's code, for errors found after the
// scenarios were read.
func (p *parser) scenarioLine(f *fields, code string) int {
	e, ok := f.m["scenarios"]
	if !ok {
		return f.line
	}
	for _, n := range e.val.Content {
		if n.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "code" && strings.TrimSpace(n.Content[i+1].Value) == code {
				return n.Content[i+1].Line
			}
		}
	}
	return e.val.Line
}

func (p *parser) item(n *yaml.Node, aspects, areas, parts []declared, q *Questionnaire) rawItem {
	f := p.mapping(n, "items", "items.", "code", "type", "text", "options", "answer", "points",
		"aspect", "area", "part", "scenario", "optional")
	ri := rawItem{f: f}
	it := &ri.Item
	it.Code = f.str("code", true)
	if it.Code != "" && !validCode(it.Code) {
		p.add(f.row("code"), "items.code", MsgCodeInvalid, it.Code)
	}
	it.Type = Type(f.str("type", true))
	it.Text = f.str("text", true)
	it.Optional = f.boolean("optional")
	known := true
	switch it.Type {
	case TrueFalse, Single, Multiple:
	case "":
		known = false
	default:
		known = false
		p.add(f.row("type"), "items.type", MsgTypeUnknown, string(it.Type))
	}

	// Options.
	if it.Type == TrueFalse {
		if f.has("options") {
			p.add(f.row("options"), "items.options", MsgOptionsForbidden, "")
		}
		it.Options = []Option{{Label: LabelTrue, Text: LabelTrue}, {Label: LabelFalse, Text: LabelFalse}}
	} else if f.has("options") {
		on := f.m["options"].val
		if on.Kind != yaml.MappingNode {
			p.add(on.Line, "items.options", MsgValueInvalid, "a mapping of labels A, B, C … to texts is expected")
		} else {
			for i := 0; i+1 < len(on.Content); i += 2 {
				k, v := on.Content[i], on.Content[i+1]
				label := strings.TrimSpace(scalarText(k))
				want := string(rune('A' + len(it.Options)))
				if k.Kind != yaml.ScalarNode || label != want || len(it.Options) >= 5 {
					p.add(k.Line, "items.options", MsgOptionInvalid, label)
					break
				}
				text := strings.TrimSpace(scalarText(v))
				if v.Kind != yaml.ScalarNode {
					p.add(v.Line, "items.options", MsgValueInvalid, "a text is expected")
				} else if text == "" || v.Tag == "!!null" {
					p.add(v.Line, "items.options", MsgRequired, label)
				}
				it.Options = append(it.Options, Option{Label: label, Text: text})
			}
		}
	}
	if known && it.Type != TrueFalse {
		min := 2
		if it.Type == Multiple {
			min = 3
		}
		if len(it.Options) < min {
			p.add(f.row("options"), "items.options", MsgOptionsCount, fmt.Sprintf("%d options, at least %d needed", len(it.Options), min))
		}
	}

	// Answer key.
	labels, ok := p.answer(f)
	if ok && known {
		seen := map[string]bool{}
		for _, l := range labels {
			switch {
			case seen[l]:
				p.add(f.row("answer"), "items.answer", MsgAnswerDuplicate, l)
			case !it.HasOption(l):
				p.add(f.row("answer"), "items.answer", MsgAnswerUnknown, l)
			}
			seen[l] = true
		}
		for _, o := range it.Options { // the key in option order
			if seen[o.Label] {
				it.Answer = append(it.Answer, o.Label)
			}
		}
		if it.Type == Multiple && len(seen) < 2 {
			p.add(f.row("answer"), "items.answer", MsgAnswerMultiple, strings.Join(labels, ","))
		}
		if it.Type != Multiple && len(seen) > 1 {
			p.add(f.row("answer"), "items.answer", MsgAnswerSingle, strings.Join(labels, ","))
		}
	}

	// Points.
	it.Points = 1
	if it.Type == Multiple {
		it.Points = 2
	}
	if v, ok := f.integer("points"); ok {
		if v <= 0 || v > maxItemPoints {
			p.add(f.row("points"), "items.points", MsgPointsInvalid, strconv.Itoa(v))
		}
		it.Points = v
	}

	// Aspect, area, part, scenario.
	member := func(key, msg string, decl []declared) string {
		v := f.str(key, false)
		if len(decl) == 0 {
			if v != "" {
				p.add(f.row(key), "items."+key, msg, v)
			}
			return v
		}
		if v == "" {
			p.add(f.row(key), "items."+key, MsgRequired, "")
			return v
		}
		for _, d := range decl {
			if d.name == v {
				return v
			}
		}
		p.add(f.row(key), "items."+key, msg, v)
		return v
	}
	it.Aspect = member("aspect", MsgAspectUnknown, aspects)
	it.Area = member("area", MsgAreaUnknown, areas)
	it.Part = member("part", MsgPartUnknown, parts)
	if s := f.str("scenario", false); s != "" {
		it.Scenario = s
		if _, ok := q.Scenario(s); !ok {
			p.add(f.row("scenario"), "items.scenario", MsgScenarioUnknown, s)
		}
	}
	return ri
}

// answer reads an item's key: a text of labels ("B", "ABD", "A,B,D", "对")
// or a list of labels. Labels are normalized as answers are.
func (p *parser) answer(f *fields) ([]string, bool) {
	if !f.has("answer") {
		p.add(f.row("answer"), "items.answer", MsgRequired, "")
		return nil, false
	}
	n := f.m["answer"].val
	var labels []string
	switch n.Kind {
	case yaml.ScalarNode:
		for _, r := range n.Value {
			if unicode.IsSpace(r) || strings.ContainsRune(",，、;；", r) {
				continue
			}
			labels = append(labels, normLabel(string(r)))
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				p.add(c.Line, "items.answer", MsgValueInvalid, "a label is expected")
				return nil, false
			}
			if l := normLabel(c.Value); l != "" {
				labels = append(labels, l)
			}
		}
	default:
		p.add(n.Line, "items.answer", MsgValueInvalid, "labels are expected")
		return nil, false
	}
	if len(labels) == 0 {
		p.add(n.Line, "items.answer", MsgRequired, "")
		return nil, false
	}
	return labels, true
}
