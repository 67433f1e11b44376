package questionnaire

import (
	"fmt"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

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
