package indicator

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Limits on a formula's size: a filter or expression with more nodes, or
// nested deeper, is refused.
const (
	MaxNodes = 200
	MaxDepth = 10
)

// Node kinds of the filter and expression language.
const (
	nOr    = "or"
	nAnd   = "and"
	nNot   = "not"
	nCmp   = "cmp"   // Op, Kids[0] Kids[1]
	nIn    = "in"    // Kids[0] in Kids[1:]
	nField = "field" // Name
	nStr   = "str"
	nNum   = "num"
	nBool  = "bool"
	nHas   = "has"   // Name (source), Window, Kids[0] optional filter
	nArith = "arith" // Op in + - * /
	nNeg   = "neg"
)

// Node is a parsed filter or expression.
type Node struct {
	Kind   string
	Op     string
	Name   string
	Str    string
	Num    float64
	Bool   bool
	Window string
	Kids   []*Node
	Pos    int // byte offset, for messages
}

// SyntaxError is a formula that does not parse.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("at %d: %s", e.Pos+1, e.Msg) }

type token struct {
	kind string // ident, num, str, op, dur, eof
	text string
	pos  int
}

func lex(s string) ([]token, error) {
	var out []token
	i := 0
	for i < len(s) {
		c := rune(s[i])
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			j := i + 1
			var b strings.Builder
			for {
				if j >= len(s) {
					return nil, &SyntaxError{i, "unterminated string"}
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, token{"str", b.String(), i})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'y' || s[j] == 'm') && (j+1 == len(s) || !isIdent(rune(s[j+1]))) {
				out = append(out, token{"dur", s[i : j+1], i})
				i = j + 1
				continue
			}
			out = append(out, token{"num", s[i:j], i})
			i = j
		case isIdent(c):
			j := i
			for j < len(s) && (isIdent(rune(s[j])) || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			out = append(out, token{"ident", strings.ToLower(s[i:j]), i})
			i = j
		default:
			for _, op := range []string{"<=", ">=", "!=", "<>", "=", "<", ">", "(", ")", ",", "+", "-", "*", "/"} {
				if strings.HasPrefix(s[i:], op) {
					out = append(out, token{"op", op, i})
					i += len(op)
					goto next
				}
			}
			return nil, &SyntaxError{i, fmt.Sprintf("unexpected %q", string(c))}
		next:
		}
	}
	return append(out, token{"eof", "", len(s)}), nil
}

func isIdent(c rune) bool { return c == '_' || c < 128 && unicode.IsLetter(c) }

type parser struct {
	toks  []token
	i     int
	nodes int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }
func (p *parser) isOp(op string) bool {
	t := p.peek()
	return t.kind == "op" && t.text == op
}
func (p *parser) isWord(w string) bool {
	t := p.peek()
	return t.kind == "ident" && t.text == w
}
func (p *parser) expect(op string) error {
	if !p.isOp(op) {
		t := p.peek()
		return &SyntaxError{t.pos, fmt.Sprintf("expected %q", op)}
	}
	p.i++
	return nil
}

func (p *parser) node(n *Node) (*Node, error) {
	p.nodes++
	if p.nodes > MaxNodes {
		return nil, errTooLarge
	}
	return n, nil
}

var errTooLarge = fmt.Errorf("too large")

// ParseFilter parses a filter: comparisons (= != < <= > >=), `in (...)`,
// and/or/not, parentheses, and has(source [, window] [, filter]).
func ParseFilter(s string) (*Node, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != "eof" {
		return nil, &SyntaxError{t.pos, fmt.Sprintf("unexpected %q", t.text)}
	}
	return n, nil
}

func (p *parser) or(d int) (*Node, error) {
	if d > MaxDepth {
		return nil, errTooLarge
	}
	l, err := p.and(d)
	if err != nil {
		return nil, err
	}
	for p.isWord("or") {
		t := p.next()
		r, err := p.and(d)
		if err != nil {
			return nil, err
		}
		if l, err = p.node(&Node{Kind: nOr, Kids: []*Node{l, r}, Pos: t.pos}); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (p *parser) and(d int) (*Node, error) {
	l, err := p.not(d)
	if err != nil {
		return nil, err
	}
	for p.isWord("and") {
		t := p.next()
		r, err := p.not(d)
		if err != nil {
			return nil, err
		}
		if l, err = p.node(&Node{Kind: nAnd, Kids: []*Node{l, r}, Pos: t.pos}); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (p *parser) not(d int) (*Node, error) {
	if d > MaxDepth {
		return nil, errTooLarge
	}
	if p.isWord("not") {
		t := p.next()
		k, err := p.not(d + 1)
		if err != nil {
			return nil, err
		}
		return p.node(&Node{Kind: nNot, Kids: []*Node{k}, Pos: t.pos})
	}
	return p.cmp(d)
}

func (p *parser) cmp(d int) (*Node, error) {
	l, err := p.primary(d)
	if err != nil {
		return nil, err
	}
	t := p.peek()
	switch {
	case t.kind == "op" && isCmpOp(t.text):
		p.next()
		r, err := p.primary(d)
		if err != nil {
			return nil, err
		}
		op := t.text
		if op == "<>" {
			op = "!="
		}
		return p.node(&Node{Kind: nCmp, Op: op, Kids: []*Node{l, r}, Pos: t.pos})
	case p.isWord("in") || p.isWord("not") && p.toks[p.i+1].kind == "ident" && p.toks[p.i+1].text == "in":
		neg := p.isWord("not")
		if neg {
			p.next()
		}
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		n := &Node{Kind: nIn, Kids: []*Node{l}, Pos: t.pos}
		for {
			v, err := p.primary(d)
			if err != nil {
				return nil, err
			}
			if v.Kind != nStr && v.Kind != nNum {
				return nil, &SyntaxError{v.Pos, "in (...) takes constants"}
			}
			n.Kids = append(n.Kids, v)
			if p.isOp(",") {
				p.next()
				continue
			}
			break
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		if n, err = p.node(n); err != nil {
			return nil, err
		}
		if neg {
			return p.node(&Node{Kind: nNot, Kids: []*Node{n}, Pos: t.pos})
		}
		return n, nil
	}
	return l, nil
}

func (p *parser) primary(d int) (*Node, error) {
	if d > MaxDepth {
		return nil, errTooLarge
	}
	t := p.next()
	switch t.kind {
	case "str":
		return p.node(&Node{Kind: nStr, Str: t.text, Pos: t.pos})
	case "num":
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, &SyntaxError{t.pos, fmt.Sprintf("bad number %q", t.text)}
		}
		return p.node(&Node{Kind: nNum, Num: f, Pos: t.pos})
	case "op":
		if t.text == "-" && p.peek().kind == "num" {
			n, err := p.primary(d + 1)
			if err != nil {
				return nil, err
			}
			n.Num = -n.Num
			return n, nil
		}
		if t.text == "(" {
			n, err := p.or(d + 1)
			if err != nil {
				return nil, err
			}
			return n, p.expect(")")
		}
	case "ident":
		switch t.text {
		case "true", "false":
			return p.node(&Node{Kind: nBool, Bool: t.text == "true", Pos: t.pos})
		case "has":
			return p.has(t, d)
		case "and", "or", "not", "in":
			return nil, &SyntaxError{t.pos, fmt.Sprintf("unexpected %q", t.text)}
		}
		return p.node(&Node{Kind: nField, Name: t.text, Pos: t.pos})
	case "eof":
		return nil, &SyntaxError{t.pos, "unexpected end"}
	}
	return nil, &SyntaxError{t.pos, fmt.Sprintf("unexpected %q", t.text)}
}

// has(source [, window] [, filter])
func (p *parser) has(t token, d int) (*Node, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	src := p.next()
	if src.kind != "ident" {
		return nil, &SyntaxError{src.pos, "has( needs a source name"}
	}
	n := &Node{Kind: nHas, Name: src.text, Pos: t.pos}
	if p.isOp(",") {
		p.next()
		w := p.peek()
		if w.kind == "dur" || w.kind == "ident" && isWindowWord(w.text) {
			p.next()
			n.Window = w.text
			if p.isOp(",") {
				p.next()
			} else {
				goto done
			}
		}
		f, err := p.or(d + 1)
		if err != nil {
			return nil, err
		}
		n.Kids = []*Node{f}
	}
done:
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	return p.node(n)
}

func isWindowWord(s string) bool {
	switch s {
	case "period", "overlap", "asof", "any":
		return true
	}
	return false
}

// ParseExpr parses arithmetic over indicator codes and numbers: + - * /
// and parentheses.
func ParseExpr(s string) (*Node, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.sum(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != "eof" {
		return nil, &SyntaxError{t.pos, fmt.Sprintf("unexpected %q", t.text)}
	}
	return n, nil
}

func (p *parser) sum(d int) (*Node, error) {
	if d > MaxDepth {
		return nil, errTooLarge
	}
	l, err := p.product(d)
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		t := p.next()
		r, err := p.product(d)
		if err != nil {
			return nil, err
		}
		if l, err = p.node(&Node{Kind: nArith, Op: t.text, Kids: []*Node{l, r}, Pos: t.pos}); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (p *parser) product(d int) (*Node, error) {
	l, err := p.factor(d)
	if err != nil {
		return nil, err
	}
	for p.isOp("*") || p.isOp("/") {
		t := p.next()
		r, err := p.factor(d)
		if err != nil {
			return nil, err
		}
		if l, err = p.node(&Node{Kind: nArith, Op: t.text, Kids: []*Node{l, r}, Pos: t.pos}); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (p *parser) factor(d int) (*Node, error) {
	if d > MaxDepth {
		return nil, errTooLarge
	}
	t := p.next()
	switch {
	case t.kind == "num":
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, &SyntaxError{t.pos, fmt.Sprintf("bad number %q", t.text)}
		}
		return p.node(&Node{Kind: nNum, Num: f, Pos: t.pos})
	case t.kind == "ident":
		return p.node(&Node{Kind: nField, Name: t.text, Pos: t.pos})
	case t.kind == "op" && t.text == "-":
		k, err := p.factor(d + 1)
		if err != nil {
			return nil, err
		}
		return p.node(&Node{Kind: nNeg, Kids: []*Node{k}, Pos: t.pos})
	case t.kind == "op" && t.text == "(":
		n, err := p.sum(d + 1)
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	case t.kind == "eof":
		return nil, &SyntaxError{t.pos, "unexpected end"}
	}
	return nil, &SyntaxError{t.pos, fmt.Sprintf("unexpected %q", t.text)}
}

// refs returns the indicator codes an expression names.
func refs(n *Node, out []string) []string {
	if n.Kind == nField {
		return append(out, n.Name)
	}
	for _, k := range n.Kids {
		out = refs(k, out)
	}
	return out
}

// evalExpr computes an expression with the values of the indicators it
// names; ok is false when one is missing or a division is by zero.
func evalExpr(n *Node, vals map[string]float64) (float64, bool) {
	switch n.Kind {
	case nNum:
		return n.Num, true
	case nField:
		v, ok := vals[n.Name]
		return v, ok
	case nNeg:
		v, ok := evalExpr(n.Kids[0], vals)
		return -v, ok
	case nArith:
		a, ok1 := evalExpr(n.Kids[0], vals)
		b, ok2 := evalExpr(n.Kids[1], vals)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch n.Op {
		case "+":
			return a + b, true
		case "-":
			return a - b, true
		case "*":
			return a * b, true
		case "/":
			if b == 0 {
				return 0, false
			}
			return a / b, true
		}
	}
	return 0, false
}

func isCmpOp(s string) bool {
	switch s {
	case "=", "!=", "<>", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// String prints n canonically, so that equal conditions print equally.
func (n *Node) String() string {
	switch n.Kind {
	case nOr, nAnd:
		return "(" + n.Kids[0].String() + " " + n.Kind + " " + n.Kids[1].String() + ")"
	case nNot:
		return "(not " + n.Kids[0].String() + ")"
	case nCmp:
		return "(" + n.Kids[0].String() + " " + n.Op + " " + n.Kids[1].String() + ")"
	case nIn:
		s := "(" + n.Kids[0].String() + " in ("
		for i, k := range n.Kids[1:] {
			if i > 0 {
				s += ", "
			}
			s += k.String()
		}
		return s + "))"
	case nField:
		return n.Name
	case nStr:
		return "'" + strings.ReplaceAll(n.Str, "'", "''") + "'"
	case nNum:
		return strconv.FormatFloat(n.Num, 'g', -1, 64)
	case nBool:
		return strconv.FormatBool(n.Bool)
	case nHas:
		s := "has(" + n.Name + ", " + n.Window
		if len(n.Kids) > 0 {
			s += ", " + n.Kids[0].String()
		}
		return s + ")"
	case nArith:
		return "(" + n.Kids[0].String() + " " + n.Op + " " + n.Kids[1].String() + ")"
	case nNeg:
		return "(-" + n.Kids[0].String() + ")"
	}
	return "?"
}

// conjuncts returns the terms of a top-level chain of ands.
func conjuncts(n *Node, out []*Node) []*Node {
	if n.Kind == nAnd {
		return conjuncts(n.Kids[1], conjuncts(n.Kids[0], out))
	}
	return append(out, n)
}
