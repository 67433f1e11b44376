// Package demo generates a deterministic synthetic population of a rural
// Chinese county (苍溪县, 510824, 四川) for the demo and for benchmarks:
// households with their members, names, ID numbers, phones and the 户籍 and
// 常住 flags, shaped like an ageing rural county whose young adults have
// largely left to work elsewhere.
//
// Everything is drawn from math/rand/v2 PCG sources seeded from the seed and
// the village index, and generation runs in one goroutine in village order,
// so the same inputs always give the same output, byte for byte.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
)

// Scale is the size of the synthetic population.
type Scale string

const (
	Small  Scale = "small"  // ≈ 5,000 residents, spread over the first few townships' villages (about 12 villages)
	County Scale = "county" // ≈ 780,000 residents in ≈ 250,000 households across every village given
	City   Scale = "city"   // several counties of one city, each filled as at County scale (one call per county)
)

// Scales lists the valid scales.
var Scales = []Scale{Small, County, City}

// ParseScale returns the scale named s, or an error listing the valid names.
// Surrounding space and letter case are ignored.
func ParseScale(s string) (Scale, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for _, sc := range Scales {
		if string(sc) == name {
			return sc, nil
		}
	}
	return "", unknownScale(s)
}

// unknownScale is the error for a scale name that is not one of Scales.
func unknownScale(s string) error {
	names := make([]string, len(Scales))
	for i, sc := range Scales {
		names[i] = string(sc)
	}
	return fmt.Errorf("demo: unknown scale %q (valid: %s)", s, strings.Join(names, ", "))
}

// Region is the 6-digit region code of the demo county (苍溪县). Generated ID
// numbers carry the county code of the person's village, which is this one
// in the demo county.
const Region = "510824"

const (
	countyHouseholds = 250000 // households at County scale
	smallHouseholds  = 1600   // households at Small scale: ≈ 5,000 persons
	smallVillages    = 12     // villages used at Small scale
	smallPerTownship = 4      // villages taken from each township at Small scale
	villageSpread    = 0.30   // ± variation of households per village
)

// Population generates households and their members for the given villages
// (12-digit village codes, level 5, in code order), deterministically from
// seed: the same inputs give the same output, byte for byte. emit is called
// once per household with its members (the first member is the head,
// relation 户主); an error from emit stops generation and is returned. now
// fixes ages; it must be in the year 2000 or later.
//
// At Small scale only about a dozen villages of the first few townships are
// populated (up to four from each, spread over the township's list); at
// County scale every village is. City scale fills the villages given as
// County scale does: the caller calls it once per county. Households per village vary by ±30% around
// the average; communities (居委会, village digits 001–199) are larger and
// the virtual living areas of farms and forestry stations (400 and up) much
// smaller.
//
// The household and persons passed to emit are fresh values, never reused,
// so emit may keep them. IDs, versions and timestamps are left zero for the
// store to fill; Household.Active, Members and HeadName are set.
func Population(villages []healthcell.Division, scale Scale, seed int64, now time.Time, emit func(h *healthcell.Household, members []*healthcell.Person) error) error {
	var total int
	switch scale {
	case Small:
		total = smallHouseholds
	case County, City:
		total = countyHouseholds
	default:
		return unknownScale(string(scale))
	}
	if len(villages) == 0 {
		return fmt.Errorf("demo: no villages")
	}
	for i, v := range villages {
		if healthcell.CodeLevel(v.Code) != healthcell.LevelVillage {
			return fmt.Errorf("demo: %q is not a village code", v.Code)
		}
		if i > 0 && v.Code <= villages[i-1].Code {
			return fmt.Errorf("demo: villages are not in code order at %s", v.Code)
		}
	}
	if now.Year() < 2000 {
		return fmt.Errorf("demo: now (%s) is before 2000", now.Format(time.DateOnly))
	}

	idx := make([]int, 0, len(villages))
	if scale == Small {
		idx = pickSmall(villages)
	} else {
		for i := range villages {
			idx = append(idx, i)
		}
	}
	g := newGenerator(uint64(seed), now)
	counts := g.householdCounts(villages, idx, total)
	for k, i := range idx {
		if err := g.village(villages[i].Code, i, counts[k], emit); err != nil {
			return err
		}
	}
	return nil
}

// pickSmall returns the indexes of the villages populated at Small scale:
// from each township in turn, up to smallPerTownship villages spread evenly
// over its list, until smallVillages are chosen (more per township when
// there are few townships).
func pickSmall(villages []healthcell.Division) []int {
	type span struct{ lo, hi int }
	var towns []span
	for i, v := range villages {
		if i == 0 || v.Code[:9] != villages[i-1].Code[:9] {
			towns = append(towns, span{i, i})
		}
		towns[len(towns)-1].hi = i + 1
	}
	want := min(smallVillages, len(villages))
	for per := smallPerTownship; ; per++ {
		var idx []int
		for _, t := range towns {
			n := t.hi - t.lo
			k := min(per, n, want-len(idx))
			for j := range k {
				idx = append(idx, t.lo+j*n/k)
			}
			if len(idx) == want {
				return idx
			}
		}
	}
}

// householdCounts splits total households over the chosen villages: each
// gets a weight for its kind varied by ±villageSpread, and the totals are
// rounded cumulatively so that they add up to total exactly.
func (g *generator) householdCounts(villages []healthcell.Division, idx []int, total int) []int {
	g.pcg.Seed(g.seed, mix(^uint64(0)))
	w := make([]float64, len(idx))
	sum := 0.0
	for k, i := range idx {
		base := 1.0
		switch n := atoi(villages[i].Code[9:]); {
		case n < 200:
			base = 1.4 // 居委会
		case n >= 400:
			base = 0.3 // virtual living area of a farm or station
		}
		w[k] = base * (1 + villageSpread*(2*g.r.Float64()-1))
		sum += w[k]
	}
	counts := make([]int, len(idx))
	cum, prev := 0.0, 0
	for k := range w {
		cum += w[k]
		next := int(cum/sum*float64(total) + 0.5)
		counts[k] = max(next-prev, 1)
		prev = next
	}
	return counts
}

// mix scrambles a stream number (splitmix64 finaliser).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// Relations used by the generator.
const (
	relHead     = "户主"
	relSpouse   = "配偶"
	relSon      = "子"
	relDaughter = "女"
	relDIL      = "儿媳"
	relSIL      = "女婿"
	relGrandson = "孙子"
	relGranddau = "孙女"
	relFather   = "父亲"
	relMother   = "母亲"
	relSibling  = "兄弟姐妹"
	relOther    = "其他"
)

// day0 is the earliest birth date generated.
var day0 = time.Date(1925, 1, 1, 0, 0, 0, 0, time.UTC)

const daysPerYear = 365.2425

// generator holds the state of one Population call.
type generator struct {
	seed uint64
	pcg  *rand.PCG
	r    *rand.Rand

	nowDay int     // days from day0 to now's calendar date
	maxAge float64 // age of someone born on day0
	dates  string  // "YYYY-MM-DD" of every day 0..nowDay, 10 bytes each
	used   []uint16

	clans [3]int     // the village's common surnames
	ms    []member   // the household being composed
	line  [3]string  // shared generation character of sons and grandsons
	share bool       // whether this household's brothers share one
	nums  []string   // household numbers "0001", …
	grps  []string   // "1组", …
	addrs [][]string // [group-1][house] "3组27号"
	hs    []healthcell.Household
	ps    []healthcell.Person
	pp    []*healthcell.Person
}

// member is one person of the household being composed.
type member struct {
	rel  string
	male bool
	age  float64 // in years
	sur  int     // surname index
	line int     // 1 for the head's sons, 2 for grandsons: may share a character
}

func newGenerator(seed uint64, now time.Time) *generator {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	g := &generator{seed: seed, pcg: rand.NewPCG(seed, 0)}
	g.r = rand.New(g.pcg)
	g.nowDay = int(today.Sub(day0).Hours()/24 + 0.5)
	g.maxAge = float64(g.nowDay)/daysPerYear - 0.01
	buf := make([]byte, 0, (g.nowDay+1)*10)
	for i := 0; i <= g.nowDay; i++ {
		buf = day0.AddDate(0, 0, i).AppendFormat(buf, time.DateOnly)
	}
	g.dates = string(buf)
	g.used = make([]uint16, (g.nowDay+1)*2)
	for i := 1; i <= 12; i++ {
		g.grps = append(g.grps, strconv.Itoa(i)+"组")
	}
	g.addrs = make([][]string, len(g.grps))
	return g
}

// village generates the n households of one village.
func (g *generator) village(code string, index, n int, emit func(*healthcell.Household, []*healthcell.Person) error) error {
	g.pcg.Seed(g.seed, mix(uint64(index)))
	for k := range g.clans {
		g.clans[k] = surnames.index(uint32(g.r.IntN(int(surnames.cum[surnames.top-1]))))
	}
	groups := min(max((n+44)/45, 3), len(g.grps))
	house, group := 0, -1
	for k := range n {
		if gr := k * groups / n; gr != group {
			group, house = gr, 0
		}
		house++
		if g.r.IntN(10) == 0 {
			house += 1 + g.r.IntN(2) // numbers of houses pulled down or merged
		}
		h := g.household()
		h.VillageCode = code
		h.Number = g.number(k+1, n)
		h.Group = g.grps[group]
		h.Address = g.address(group, house)
		h.Active = true
		g.compose()
		members := g.persons(len(g.ms))
		g.fill(code, members)
		h.Members = len(members)
		h.HeadName = members[0].Name
		if err := emit(h, members); err != nil {
			return err
		}
	}
	return nil
}

// household returns a fresh zero household from the current chunk.
func (g *generator) household() *healthcell.Household {
	if len(g.hs) == 0 {
		g.hs = make([]healthcell.Household, 512)
	}
	h := &g.hs[0]
	g.hs = g.hs[1:]
	return h
}

// persons returns n fresh zero persons from the current chunks.
func (g *generator) persons(n int) []*healthcell.Person {
	if len(g.ps) < n {
		g.ps = make([]healthcell.Person, max(n, 2048))
	}
	if len(g.pp) < n {
		g.pp = make([]*healthcell.Person, max(n, 2048))
	}
	ps, pp := g.ps[:n:n], g.pp[:n:n]
	g.ps, g.pp = g.ps[n:], g.pp[n:]
	for i := range ps {
		pp[i] = &ps[i]
	}
	return pp
}

// number returns household number k of a village of n households: four
// digits, or more when the village needs them.
func (g *generator) number(k, n int) string {
	if n > 9999 {
		s := strconv.Itoa(k)
		return strings.Repeat("0", len(strconv.Itoa(n))-len(s)) + s
	}
	for len(g.nums) <= k {
		s := strconv.Itoa(len(g.nums))
		g.nums = append(g.nums, strings.Repeat("0", 4-len(s))+s)
	}
	return g.nums[k]
}

// address returns "<group>组<house>号" for a 0-based group.
func (g *generator) address(group, house int) string {
	a := g.addrs[group]
	for len(a) <= house {
		a = append(a, g.grps[group]+strconv.Itoa(len(a))+"号")
	}
	g.addrs[group] = a
	return a[house]
}

// fill turns the composed members into persons.
func (g *generator) fill(code string, ps []*healthcell.Person) {
	r := g.r
	for i := range g.ms {
		m := &g.ms[i]
		p := ps[i]
		day := g.nowDay - int(m.age*daysPerYear)
		day = min(max(day, 0), g.nowDay)
		age := int(float64(g.nowDay-day) / daysPerYear)
		p.VillageCode = code
		p.Relation = m.rel
		p.Status = healthcell.StatusActive
		if m.male {
			p.Sex = "M"
		} else {
			p.Sex = "F"
		}
		if g.hasID(age) {
			p.IDNumber, day = g.idNumber(code[:6], day, m.male)
		}
		p.BirthDate = g.dates[day*10 : day*10+10]
		year := atoi(p.BirthDate[:4])
		p.Name = g.name(m, year)
		for try := 0; try < 8 && taken(ps[:i], p.Name); try++ {
			p.Name = g.name(m, year) // no two members share a name
		}
		if age >= 18 && r.Float64() < phoneShare(age) {
			p.Phone = g.phone()
		}
		p.Registered = i == 0 || r.Float64() >= unregisteredShare(m.rel)
		p.Resident = age < 18 || age >= 60 || r.Float64() >= awayShare(age, m.male)
	}
}

// taken reports whether one of ps has the given name.
func taken(ps []*healthcell.Person, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}

// hasID reports whether a person of this age has an ID number: a newborn
// often has none yet, an older child occasionally.
func (g *generator) hasID(age int) bool {
	switch {
	case age < 1:
		return g.r.Float64() >= 0.45
	case age < 3:
		return g.r.Float64() >= 0.15
	case age < 7:
		return g.r.Float64() >= 0.02
	}
	return true
}

// phoneShare is the share of adults of an age with a mobile phone listed.
func phoneShare(age int) float64 {
	switch {
	case age < 30:
		return 0.80
	case age < 50:
		return 0.77
	case age < 65:
		return 0.55
	case age < 75:
		return 0.30
	}
	return 0.10
}

// awayShare is the share of working-age adults who live away (migrant
// workers, 常住 false).
func awayShare(age int, male bool) float64 {
	var p float64
	switch {
	case age < 30:
		p = 0.30
	case age < 45:
		p = 0.24
	default:
		p = 0.11
	}
	if male {
		return p * 1.15
	}
	return p * 0.85
}

// unregisteredShare is the share of members without 户籍 here, by relation:
// in-laws and others whose registration was never moved.
func unregisteredShare(rel string) float64 {
	switch rel {
	case relDIL, relSIL:
		return 0.12
	case relOther:
		return 0.40
	}
	return 0.032
}

// idNumber returns an ID number of region (6 digits) for a birth on day,
// unique in the population: each birth date and sex has its own counter, mapped onto the
// sequence numbers of that sex (odd male, even female) in a scrambled order.
// When a date has run out of numbers it moves to the nearest free date and
// returns that.
func (g *generator) idNumber(region string, day int, male bool) (string, int) {
	sex, slots, mul := 0, 499, 211 // female: 002, 004, …, 998
	if male {
		sex, slots, mul = 1, 500, 137 // male: 001, 003, …, 999
	}
	for d := 0; ; d++ {
		try := day - (d+1)/2
		if d%2 == 1 {
			try = day + (d+1)/2
		}
		if try < 0 || try > g.nowDay {
			if d > 2*(g.nowDay+1) {
				panic("demo: ID numbers exhausted")
			}
			continue
		}
		k := int(g.used[try*2+sex])
		if k >= slots {
			continue
		}
		g.used[try*2+sex]++
		off := int(uint32(try)*2654435761>>8) % slots
		s := (k*mul + off) % slots
		seq := 2*s + 2
		if male {
			seq = 2*s + 1
		}
		return idcard.Generate(region, day0.Add(time.Duration(try)*24*time.Hour), seq), try
	}
}

var phonePrefixes = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159",
	"180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
	"191", "198", "199",
}

// phone returns a random 11-digit mobile number.
func (g *generator) phone() string {
	var b [11]byte
	copy(b[:3], phonePrefixes[g.r.IntN(len(phonePrefixes))])
	v := g.r.Uint64N(100000000)
	for i := 10; i >= 3; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[:])
}

// name returns a full name for m born in year.
func (g *generator) name(m *member, year int) string {
	r := g.r
	sur := surnames.names[m.sur]
	sex := 0
	if m.male {
		sex = 1
	}
	era := eraYoung
	switch y := year + int(r.NormFloat64()*4); {
	case y < 1965:
		era = eraOld
	case y < 1995:
		era = eraMiddle
	}
	pool := &givenPools[sex][era]
	x := r.Float64()
	if x < pool.single {
		return sur + pool.second[r.IntN(len(pool.second))]
	}
	if m.line > 0 && g.share && g.line[m.line] != "" {
		first := g.line[m.line]
		second := pool.second[r.IntN(len(pool.second))]
		for second == first {
			second = pool.second[r.IntN(len(pool.second))]
		}
		return sur + first + second
	}
	if x < pool.single+presetShare {
		given := pool.presets[r.IntN(len(pool.presets))]
		if m.line > 0 {
			g.line[m.line] = given[:len(given)-len(lastRune(given))]
		}
		return sur + given
	}
	first := pool.first[r.IntN(len(pool.first))]
	second := pool.second[r.IntN(len(pool.second))]
	for second == first {
		second = pool.second[r.IntN(len(pool.second))]
	}
	if m.line > 0 {
		g.line[m.line] = first
	}
	return sur + first + second
}

// lastRune returns the last character of a non-empty string.
func lastRune(s string) string {
	i := len(s) - 1
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[i:]
}
