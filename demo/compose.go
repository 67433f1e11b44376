package demo

import "math"

// Household types, with their share of households in per mille. Together
// they give a mean size of about 3.1: many one- and two-person elderly
// households, couples with children, three-generation families.
const (
	hhElderSingle  = iota // one person aged 60+, often a widow
	hhElderCouple         // couple aged 60+, sometimes with an unmarried son
	hhSingleAdult         // one person of working age, mostly a man
	hhEmptyNest           // couple aged 40–60 whose children have left
	hhNuclear             // couple with children
	hhSingleParent        // widowed or divorced parent with children
	hhThreeGen            // head, son (or daughter) with spouse, grandchildren
	hhWithParents         // couple with children and the head's parent(s)
	hhSkipGen             // grandparents with left-behind grandchildren
	hhSiblings            // unmarried brothers or sisters
	numTypes
)

var typeWeights = [numTypes]int{
	hhElderSingle:  150,
	hhElderCouple:  165,
	hhSingleAdult:  40,
	hhEmptyNest:    65,
	hhNuclear:      230,
	hhSingleParent: 35,
	hhThreeGen:     215,
	hhWithParents:  95,
	hhSkipGen:      30,
	hhSiblings:     20,
}

var typeCum = func() (c [numTypes]int) {
	s := 0
	for i, w := range typeWeights {
		s += w
		c[i] = s
	}
	return c
}()

// clanShare is the share of heads who bear one of the village's common
// surnames; the rest are drawn from the county-wide list.
const clanShare = 0.40

// boyShare is the share of boys among children (sex ratio at birth ≈ 115).
const boyShare = 0.535

func (g *generator) uni(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

// tri draws from a triangular distribution on [lo, hi] with the given mode.
func (g *generator) tri(lo, mode, hi float64) float64 {
	u := g.r.Float64()
	f := (mode - lo) / (hi - lo)
	if u < f {
		return lo + math.Sqrt(u*(hi-lo)*(mode-lo))
	}
	return hi - math.Sqrt((1-u)*(hi-lo)*(hi-mode))
}

// elder draws an old age: lo plus an exponential tail of the given mean,
// below the oldest possible age.
func (g *generator) elder(lo, mean float64) float64 {
	for {
		if a := lo + g.r.ExpFloat64()*mean; a < g.maxAge {
			return a
		}
	}
}

// surname draws a surname index from the county-wide list.
func (g *generator) surname() int {
	return surnames.index(uint32(g.r.IntN(int(surnames.total))))
}

// headSurname draws the head's surname: often one of the village's clans.
func (g *generator) headSurname() int {
	if g.r.Float64() < clanShare {
		switch x := g.r.IntN(10); {
		case x < 5:
			return g.clans[0]
		case x < 8:
			return g.clans[1]
		default:
			return g.clans[2]
		}
	}
	return g.surname()
}

func (g *generator) add(rel string, male bool, age float64, sur int) *member {
	g.ms = append(g.ms, member{rel: rel, male: male, age: min(max(age, 0), g.maxAge), sur: sur})
	return &g.ms[len(g.ms)-1]
}

// spouse adds the spouse of the member at index i: a wife a little younger
// than her husband, a husband a little older than his wife.
func (g *generator) spouse(rel string, i int) {
	m := g.ms[i]
	if m.male {
		g.add(rel, false, max(m.age-g.uni(-2, 4), 18), g.surname())
	} else {
		g.add(rel, true, max(m.age+g.uni(-1, 5), 20), g.surname())
	}
}

// maxGap is the largest age difference between the head and a child (so
// that it stays within 20–40 years in whole years too).
const maxGap = 39

// gap draws a parent's age at a child's birth: 23–38, mostly the twenties.
func (g *generator) gap() float64 {
	for {
		if x := 23 + g.r.ExpFloat64()*4.5; x <= 38 {
			return x
		}
	}
}

// children adds up to n children of a parent aged parent (the eldest born
// when the parent was gap() old, the others 1.5–7 years apart), taking the
// given surname, and returns how many it added. Children who would be
// unborn, or more than maxGap years younger than the head, are left out.
func (g *generator) children(n int, parent float64, sur int, son, daughter string, line int) int {
	age := parent - g.gap()
	head := g.ms[0].age
	added := 0
	for range n {
		if age < 0 || head-age > maxGap {
			break
		}
		male := g.r.Float64() < boyShare
		rel := daughter
		ln := 0
		if male {
			rel, ln = son, line
		}
		g.add(rel, male, age, sur).line = ln
		added++
		age -= g.uni(1.5, 7)
	}
	return added
}

// childCount draws the number of children living with parents of a head
// aged head: families born before the 1970s had more.
func (g *generator) childCount(head float64) int {
	x := g.r.IntN(100)
	if head >= 50 {
		switch {
		case x < 40:
			return 1
		case x < 85:
			return 2
		default:
			return 3
		}
	}
	switch {
	case x < 50:
		return 1
	case x < 95:
		return 2
	default:
		return 3
	}
}

// childSurname is the surname of a head's child: usually the head's; for a
// head without spouse, or with a spouse married in, sometimes the other
// parent's.
func (g *generator) childSurname(head int, other int) int {
	if g.r.IntN(100) < 95 || other < 0 {
		return head
	}
	return other
}

// compose fills g.ms with a new household, head first.
func (g *generator) compose() {
	r := g.r
	g.ms = g.ms[:0]
	g.line = [3]string{}
	g.share = r.IntN(100) < 40
	sur := g.headSurname()
	x := r.IntN(typeCum[numTypes-1])
	t := 0
	for x >= typeCum[t] {
		t++
	}
	switch t {
	case hhElderSingle:
		g.add(relHead, r.IntN(100) < 40, g.elder(63, 12), sur)

	case hhElderCouple:
		g.add(relHead, true, g.elder(61, 10), sur)
		g.spouse(relSpouse, 0)
		if r.IntN(100) < 12 {
			if a := g.ms[0].age - g.gap(); a >= 28 {
				g.add(relSon, true, a, sur).line = 1 // an unmarried son
			}
		}

	case hhSingleAdult:
		g.add(relHead, r.IntN(100) < 78, g.uni(22, 60), sur)

	case hhEmptyNest:
		g.add(relHead, true, g.uni(44, 64), sur)
		g.spouse(relSpouse, 0)

	case hhNuclear:
		male := r.IntN(100) < 93 // otherwise a husband married in (上门)
		g.add(relHead, male, g.tri(26, 45, 60), sur)
		g.spouse(relSpouse, 0)
		other := g.ms[1].sur
		if male {
			other = -1
		}
		g.children(g.childCount(g.ms[0].age), min(g.ms[0].age, g.ms[1].age+3), g.childSurname(sur, other), relSon, relDaughter, 1)

	case hhSingleParent:
		male := r.IntN(100) < 35
		g.add(relHead, male, g.tri(28, 44, 62), sur)
		csur := sur
		if !male && r.IntN(100) < 60 {
			csur = g.surname() // the father's
		}
		g.children(1+r.IntN(2), g.ms[0].age, csur, relSon, relDaughter, 1)

	case hhThreeGen:
		g.threeGen(sur)

	case hhWithParents:
		g.add(relHead, true, g.tri(32, 45, 58), sur)
		g.spouse(relSpouse, 0)
		g.children(1+r.IntN(2), g.ms[0].age, sur, relSon, relDaughter, 1)
		head := g.ms[0].age
		switch x := r.IntN(100); {
		case x < 55:
			if a := head + g.gap() - 2; a < g.maxAge {
				g.add(relMother, false, a, g.surname())
			}
		case x < 70:
			if a := head + g.gap(); a < g.maxAge {
				g.add(relFather, true, a, sur)
			}
		default:
			if a := head + g.gap(); a < g.maxAge {
				g.add(relFather, true, a, sur)
				g.spouse(relMother, len(g.ms)-1)
			}
		}

	case hhSkipGen:
		g.add(relHead, r.IntN(100) < 75, min(g.elder(55, 8), 80), sur)
		if r.IntN(100) < 70 {
			g.spouse(relSpouse, 0)
		}
		// grandchildren whose parents work away and are registered elsewhere
		a := g.uni(1, min(16, g.ms[0].age-46))
		for range 1 + r.IntN(2) {
			male := r.Float64() < boyShare
			rel := relGranddau
			if male {
				rel = relGrandson
			}
			gs := sur
			if r.IntN(100) < 15 {
				gs = g.surname() // a daughter's child
			}
			g.add(rel, male, a, gs)
			a -= g.uni(1.5, 5)
			if a < 0 {
				break
			}
		}

	case hhSiblings:
		male := r.IntN(100) < 75
		g.add(relHead, male, g.elder(42, 14), sur)
		g.add(relSibling, r.IntN(100) < 70, max(g.ms[0].age+g.uni(-8, 8), 30), sur)
	}
	if r.IntN(100) == 0 {
		g.add(relOther, r.IntN(2) == 0, g.uni(5, 35), g.surname()) // a nephew, a niece
	}
}

// threeGen composes head, spouse, a son with his wife (or a daughter with a
// husband married in) and their children, from the youngest generation up so
// that the ages fit.
func (g *generator) threeGen(sur int) {
	r := g.r
	gk := g.tri(0, 3, 18)
	mid := gk + g.gap() - 1
	head := mid + g.gap()
	for head >= g.maxAge {
		head -= 3
		mid -= 3
		gk = max(gk-3, 0)
	}
	headMale := r.IntN(100) < 82
	g.add(relHead, headMale, head, sur)
	if headMale && r.IntN(100) < 78 {
		g.spouse(relSpouse, 0)
	}
	daughterLine := r.IntN(100) < 12 // a husband married in (上门女婿)
	var mi int
	if daughterLine {
		g.add(relDaughter, false, mid, sur)
		mi = len(g.ms) - 1
		if r.IntN(100) < 92 {
			g.spouse(relSIL, mi)
		}
	} else {
		g.add(relSon, true, mid, sur).line = 1
		mi = len(g.ms) - 1
		if r.IntN(100) < 90 {
			g.spouse(relDIL, mi)
		}
	}
	gsur := sur
	if daughterLine && len(g.ms) > mi+1 && r.IntN(100) < 50 {
		gsur = g.ms[mi+1].sur
	}
	n := 1
	switch x := r.IntN(100); {
	case x < 42:
		n = 2
	case x < 50:
		n = 3
	}
	a := gk
	for range n {
		male := r.Float64() < boyShare
		rel := relGranddau
		if male {
			rel = relGrandson
		}
		gm := g.add(rel, male, a, gsur)
		if male {
			gm.line = 2
		}
		a -= g.uni(1.5, 6)
		if a < 0 {
			break
		}
	}
	if r.IntN(100) < 12 {
		// an unmarried younger child of the head
		if a := mid - g.uni(2, 10); a >= 16 && head-a <= maxGap {
			male := r.Float64() < boyShare
			rel := relDaughter
			if male {
				rel = relSon
			}
			g.add(rel, male, a, sur)
		}
	}
}
