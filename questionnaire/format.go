package questionnaire

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Format writes q in the YAML format Parse reads: code, name, version,
// source, notes, pass_rate and the items (no aspects, areas, parts or
// scenarios: the questionnaires the county writes on the web have none).
// Parse(Format(q)) gives back q's items. It returns an error only when the
// YAML encoder fails.
func Format(q *Questionnaire) ([]byte, error) {
	doc := &yaml.Node{Kind: yaml.MappingNode}
	add := func(m *yaml.Node, key string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	}
	str := func(s string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: s, Style: yaml.DoubleQuotedStyle}
	}
	num := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
	add(doc, "code", str(q.Code))
	add(doc, "name", str(q.Name))
	if q.Version != "" {
		add(doc, "version", str(q.Version))
	}
	add(doc, "source", str(q.Source))
	if q.Notes != "" {
		add(doc, "notes", str(q.Notes))
	}
	add(doc, "pass_rate", num(formatRate(q.PassRate)))
	items := &yaml.Node{Kind: yaml.SequenceNode}
	for _, it := range q.Items {
		m := &yaml.Node{Kind: yaml.MappingNode}
		add(m, "code", str(it.Code))
		add(m, "type", num(string(it.Type)))
		add(m, "text", str(it.Text))
		if it.Type != TrueFalse {
			opts := &yaml.Node{Kind: yaml.MappingNode}
			for _, o := range it.Options {
				add(opts, o.Label, str(o.Text))
			}
			add(m, "options", opts)
		}
		switch {
		case !it.Scored():
			add(m, "points", num("0"))
		case it.Satisfied:
			add(m, "satisfied", str(strings.Join(it.Answer, "")))
		default:
			add(m, "answer", str(strings.Join(it.Answer, "")))
		}
		if it.Scored() && it.Points != defaultPoints(it.Type) {
			add(m, "points", num(itoa(it.Points)))
		}
		if it.Optional {
			add(m, "optional", num("true"))
		}
		if it.Explanation != "" {
			add(m, "explanation", str(it.Explanation))
		}
		items.Content = append(items.Content, m)
	}
	add(doc, "items", items)
	return yaml.Marshal(doc)
}

func defaultPoints(t Type) int {
	if t == Multiple {
		return 2
	}
	return 1
}

func itoa(n int) string { return strconv.Itoa(n) }

func formatRate(r float64) string { return strconv.FormatFloat(r, 'f', -1, 64) }
