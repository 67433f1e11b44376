package standardfile

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

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
	if p := healthcell.CodePrefix(s.Owner); p != "" {
		yamlPut(doc, "owner", yamlStr(p))
	}
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
