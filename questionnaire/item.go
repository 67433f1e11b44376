package questionnaire

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

func (p *parser) item(n *yaml.Node, aspects, areas, parts []declared, q *Questionnaire) rawItem {
	f := p.mapping(n, "items", "items.", "code", "type", "text", "options", "answer", "points",
		"aspect", "area", "part", "scenario", "optional", "explanation", "satisfied")
	ri := rawItem{f: f}
	it := &ri.Item
	it.Code = f.str("code", true)
	if it.Code != "" && !validCode(it.Code) {
		p.add(f.row("code"), "items.code", MsgCodeInvalid, it.Code)
	}
	it.Type = Type(f.str("type", true))
	it.Text = f.str("text", true)
	it.Optional = f.boolean("optional")
	it.Explanation = f.str("explanation", false)
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

	// Answer key: the correct options (answer), the options that count as
	// satisfied (satisfied, any of them scores), or none for an unscored
	// item (points: 0).
	keyName := "answer"
	it.Satisfied = f.has("satisfied")
	if it.Satisfied {
		keyName = "satisfied"
		if f.has("answer") {
			p.add(f.row("satisfied"), "items.satisfied", MsgKeyBoth, "")
		}
	}
	pts, hasPts := f.integer("points")
	unscored := hasPts && pts == 0 && !f.has("answer") && !it.Satisfied
	var labels []string
	ok := false
	if !unscored {
		labels, ok = p.answer(f, keyName)
	}
	if ok && known {
		seen := map[string]bool{}
		for _, l := range labels {
			switch {
			case seen[l]:
				p.add(f.row(keyName), "items."+keyName, MsgAnswerDuplicate, l)
			case !it.HasOption(l):
				p.add(f.row(keyName), "items."+keyName, MsgAnswerUnknown, l)
			}
			seen[l] = true
		}
		for _, o := range it.Options { // the key in option order
			if seen[o.Label] {
				it.Answer = append(it.Answer, o.Label)
			}
		}
		if it.Type == Multiple && len(seen) < 2 && !it.Satisfied {
			p.add(f.row("answer"), "items.answer", MsgAnswerMultiple, strings.Join(labels, ","))
		}
		if it.Type != Multiple && len(seen) > 1 && !it.Satisfied {
			p.add(f.row("answer"), "items.answer", MsgAnswerSingle, strings.Join(labels, ","))
		}
	}

	// Points.
	it.Points = 1
	if it.Type == Multiple {
		it.Points = 2
	}
	if v, ok := pts, hasPts; ok && !unscored {
		if v <= 0 || v > maxItemPoints {
			p.add(f.row("points"), "items.points", MsgPointsInvalid, strconv.Itoa(v))
		}
		it.Points = v
	}

	if unscored {
		it.Points = 0
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
func (p *parser) answer(f *fields, key string) ([]string, bool) {
	if !f.has(key) {
		p.add(f.row(key), "items."+key, MsgRequired, "")
		return nil, false
	}
	n := f.m[key].val
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
				p.add(c.Line, "items."+key, MsgValueInvalid, "a label is expected")
				return nil, false
			}
			if l := normLabel(c.Value); l != "" {
				labels = append(labels, l)
			}
		}
	default:
		p.add(n.Line, "items."+key, MsgValueInvalid, "labels are expected")
		return nil, false
	}
	if len(labels) == 0 {
		p.add(n.Line, "items."+key, MsgRequired, "")
		return nil, false
	}
	return labels, true
}
