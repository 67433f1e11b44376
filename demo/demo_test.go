package demo

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/idcard"
)

var testNow = time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)

// checkID adapts idcard.Parse to the domain's IDChecker, as sqlstore does.
func checkID(id string, now time.Time) (number, birth, sex, msgKey string) {
	p, err := idcard.Parse(id, now)
	if err != nil {
		if e, ok := err.(*idcard.Error); ok {
			return "", "", "", "idcard." + string(e.Reason)
		}
		return "", "", "", "idcard.invalid"
	}
	return p.Number, p.Birth.Format("2006-01-02"), p.Sex(), ""
}

// countyVillages returns the villages of the shipped county, in code order.
func countyVillages(t testing.TB) []healthcell.Division {
	t.Helper()
	divs, err := catalog.Divisions("510824")
	if err != nil {
		t.Fatal(err)
	}
	var vs []healthcell.Division
	for _, d := range divs {
		if d.Level == healthcell.LevelVillage {
			vs = append(vs, d)
		}
	}
	if len(vs) != 457 {
		t.Fatalf("got %d villages, want 457", len(vs))
	}
	return vs
}

// stats are the figures of one generated population.
type stats struct {
	households, persons       int
	male, female, aged60      int
	adults, adultsPhone       int
	working, workingAway      int
	registered, noID          int
	sizes                     [9]int // households by size, 8+ last
	bands                     [21]int
	relations                 map[string]int
	surnames, givenM, givenF  map[string]int
	elapsed                   time.Duration
	heads, maleHeads, largest int
}

func (s *stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "households %d, persons %d, mean size %.2f, aged 60+ %.1f%%, sex ratio %.1f\n",
		s.households, s.persons, float64(s.persons)/float64(s.households),
		100*float64(s.aged60)/float64(s.persons), 100*float64(s.male)/float64(s.female))
	fmt.Fprintf(&b, "adults with phone %.1f%%, working-age away %.1f%%, registered %.1f%%, no ID %.2f%%, male heads %.1f%%\n",
		100*float64(s.adultsPhone)/float64(s.adults), 100*float64(s.workingAway)/float64(s.working),
		100*float64(s.registered)/float64(s.persons), 100*float64(s.noID)/float64(s.persons),
		100*float64(s.maleHeads)/float64(s.heads))
	b.WriteString("sizes:")
	for i := 1; i < len(s.sizes); i++ {
		fmt.Fprintf(&b, " %d:%.1f%%", i, 100*float64(s.sizes[i])/float64(s.households))
	}
	b.WriteString("\nages:")
	for i, n := range s.bands {
		fmt.Fprintf(&b, " %d:%.1f", i*5, 100*float64(n)/float64(s.persons))
	}
	fmt.Fprintf(&b, "\nrelations: %v\nsurnames used %d, male given names %d, female given names %d",
		s.relations, len(s.surnames), len(s.givenM), len(s.givenF))
	return b.String()
}

// collect generates a population, checks every household and person, and
// returns its figures.
func collect(t testing.TB, villages []healthcell.Division, scale Scale, seed int64) *stats {
	t.Helper()
	s := &stats{relations: map[string]int{}, surnames: map[string]int{}, givenM: map[string]int{}, givenF: map[string]int{}}
	ids := make(map[string]bool)
	numbers := make(map[string]bool)
	inVillages := make(map[string]bool)
	for _, v := range villages {
		inVillages[v.Code] = true
	}
	var fails int
	fail := func(format string, args ...any) {
		if fails++; fails <= 20 {
			t.Errorf(format, args...)
		}
	}
	start := time.Now()
	err := Population(villages, scale, seed, testNow, func(h *healthcell.Household, members []*healthcell.Person) error {
		s.households++
		hc := *h
		if err := hc.Validate(); err != nil {
			fail("household %+v: %v", h, err)
		}
		if !inVillages[h.VillageCode] {
			fail("household %s in unknown village %s", h.Number, h.VillageCode)
		}
		if key := h.VillageCode + "/" + h.Number; numbers[key] {
			fail("household number %s repeated", key)
		} else {
			numbers[key] = true
		}
		if !strings.HasPrefix(h.Address, h.Group) || !strings.HasSuffix(h.Address, "号") || !strings.HasSuffix(h.Group, "组") {
			fail("household %s: group %q, address %q", h.Number, h.Group, h.Address)
		}
		if h.ID != 0 || h.Version != 0 || !h.CreatedAt.IsZero() || len(members) == 0 || h.Members != len(members) {
			fail("household %+v with %d members", h, len(members))
			return nil
		}
		s.sizes[min(len(members), len(s.sizes)-1)]++
		s.largest = max(s.largest, len(members))
		head := members[0]
		if head.Relation != "户主" || h.HeadName != head.Name {
			fail("household %s: first member %+v", h.Number, head)
		}
		s.heads++
		if head.Sex == "M" {
			s.maleHeads++
		}
		headAge := head.Age(testNow)
		for i, p := range members {
			s.persons++
			if i > 0 && p.Relation == "户主" {
				fail("household %s has two heads", h.Number)
			}
			pc := *p
			pc.HouseholdID = 1 // the store fills it
			if err := pc.Validate(testNow, checkID); err != nil {
				fail("person %+v: %v", p, err)
			}
			if p.ID != 0 || p.HouseholdID != 0 || p.Version != 0 || !p.CreatedAt.IsZero() ||
				p.Status != healthcell.StatusActive || p.VillageCode != h.VillageCode {
				fail("person %+v: ids, version, status or village", p)
			}
			if p.IDNumber == "" {
				s.noID++
			} else if ids[p.IDNumber] {
				fail("ID number %s repeated", p.IDNumber)
			} else {
				ids[p.IDNumber] = true
			}
			if p.BirthDate < "1925-01-01" {
				fail("person %s born %s", p.Name, p.BirthDate)
			}
			age := p.Age(testNow)
			switch p.Relation {
			case "子", "女":
				if d := headAge - age; d < 20 || d > 40 {
					fail("household %s: head aged %d, %s aged %d", h.Number, headAge, p.Relation, age)
				}
			case "孙子", "孙女":
				if d := headAge - age; d < 40 {
					fail("household %s: head aged %d, %s aged %d", h.Number, headAge, p.Relation, age)
				}
			case "父亲", "母亲":
				if d := age - headAge; d < 18 {
					fail("household %s: head aged %d, %s aged %d", h.Number, headAge, p.Relation, age)
				}
			}
			for _, q := range members[:i] {
				if q.Name == p.Name {
					fail("household %s: two members named %s", h.Number, p.Name)
				}
			}
			if n := utf8.RuneCountInString(p.Name); n < 2 || n > 3 {
				fail("name %q", p.Name)
			}
			s.relations[p.Relation]++
			sur, _ := utf8.DecodeRuneInString(p.Name)
			s.surnames[string(sur)]++
			if p.Sex == "M" {
				s.male++
				s.givenM[p.Name[utf8.RuneLen(sur):]]++
			} else {
				s.female++
				s.givenF[p.Name[utf8.RuneLen(sur):]]++
			}
			if age >= 60 {
				s.aged60++
			}
			s.bands[min(age/5, len(s.bands)-1)]++
			if age >= 18 {
				s.adults++
				if p.Phone != "" {
					s.adultsPhone++
				}
			} else if p.Phone != "" {
				fail("child %s aged %d has phone %s", p.Name, age, p.Phone)
			}
			if p.Phone != "" && (len(p.Phone) != 11 || !strings.Contains("13 15 18 19", p.Phone[:2])) {
				fail("phone %q", p.Phone)
			}
			if age >= 18 && age < 60 {
				s.working++
				if !p.Resident {
					s.workingAway++
				}
			} else if !p.Resident {
				fail("person %s aged %d not resident", p.Name, age)
			}
			if p.Registered {
				s.registered++
			}
		}
		return nil
	})
	s.elapsed = time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseScale(t *testing.T) {
	tests := []struct {
		in      string
		want    Scale
		wantErr bool
	}{
		{"small", Small, false},
		{"county", County, false},
		{" County ", County, false},
		{"city", City, false},
		{"SMALL", Small, false},
		{"", "", true},
		{"province", "", true},
	}
	for _, tt := range tests {
		got, err := ParseScale(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseScale(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !(strings.Contains(err.Error(), "small") && strings.Contains(err.Error(), "county")) {
			t.Errorf("ParseScale(%q) error %q does not list the valid names", tt.in, err)
		}
	}
}

// digest returns a hash over every field of every generated record.
func digest(t *testing.T, villages []healthcell.Division, scale Scale, seed int64) string {
	t.Helper()
	var h hash.Hash = sha256.New()
	err := Population(villages, scale, seed, testNow, func(hh *healthcell.Household, members []*healthcell.Person) error {
		fmt.Fprintf(h, "%+v\n", *hh)
		for _, p := range members {
			fmt.Fprintf(h, "%+v\n", *p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestDeterministic(t *testing.T) {
	vs := countyVillages(t)
	tests := []struct {
		name  string
		seedA int64
		seedB int64
		same  bool
	}{
		{"same seed", 1, 1, true},
		{"same negative seed", -42, -42, true},
		{"different seed", 1, 2, false},
		{"seed sign", 7, -7, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := digest(t, vs, Small, tt.seedA), digest(t, vs, Small, tt.seedB)
			if (a == b) != tt.same {
				t.Errorf("digests %s and %s: same = %v, want %v", a, b, a == b, tt.same)
			}
		})
	}
}

func TestSmall(t *testing.T) {
	vs := countyVillages(t)
	for _, seed := range []int64{1, 2, 20260315} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			s := collect(t, vs, Small, seed)
			t.Logf("seed %d: %s", seed, s)
			if s.persons < 4000 || s.persons > 6000 {
				t.Errorf("persons = %d, want 4,000–6,000", s.persons)
			}
			villages := map[string]bool{}
			Population(vs, Small, seed, testNow, func(h *healthcell.Household, _ []*healthcell.Person) error {
				villages[h.VillageCode] = true
				return nil
			})
			if len(villages) != 12 {
				t.Errorf("small scale used %d villages, want 12", len(villages))
			}
		})
	}
}

func TestCounty(t *testing.T) {
	if testing.Short() {
		t.Skip("county scale in -short mode")
	}
	s := collect(t, countyVillages(t), County, 1)
	t.Logf("generated in %v (with checks)\n%s", s.elapsed, s)
	mean := float64(s.persons) / float64(s.households)
	share60 := float64(s.aged60) / float64(s.persons)
	ratio := 100 * float64(s.male) / float64(s.female)
	checks := []struct {
		name     string
		got      float64
		lo, hi   float64
		decimals int
	}{
		{"persons", float64(s.persons), 740000, 820000, 0},
		{"households", float64(s.households), 230000, 270000, 0},
		{"share aged 60+", share60, 0.20, 0.32, 3},
		{"sex ratio", ratio, 100, 110, 1},
		{"mean household size", mean, 2.8, 3.4, 2},
		{"adults with a phone", float64(s.adultsPhone) / float64(s.adults), 0.55, 0.65, 3},
		{"working-age adults away", float64(s.workingAway) / float64(s.working), 0.17, 0.23, 3},
		{"registered", float64(s.registered) / float64(s.persons), 0.96, 0.98, 3},
		{"without ID number", float64(s.noID) / float64(s.persons), 0.003, 0.015, 4},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s = %.*f, want %v–%v", c.name, c.decimals, c.got, c.lo, c.hi)
		}
	}
}

func TestErrors(t *testing.T) {
	vs := countyVillages(t)
	stop := errors.New("stop")
	calls := 0
	err := Population(vs, County, 1, testNow, func(*healthcell.Household, []*healthcell.Person) error {
		if calls++; calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Errorf("emit error: got %v after %d calls, want stop after 3", err, calls)
	}
	township := healthcell.Division{Code: "510824100000", Name: "陵江镇", Level: 4}
	tests := []struct {
		name     string
		villages []healthcell.Division
		scale    Scale
		now      time.Time
	}{
		{"unknown scale", vs, "huge", testNow},
		{"scale not canonical", vs, "Small", testNow},
		{"no villages", nil, Small, testNow},
		{"not a village", []healthcell.Division{township}, Small, testNow},
		{"out of order", []healthcell.Division{vs[1], vs[0]}, Small, testNow},
		{"duplicate", []healthcell.Division{vs[0], vs[0]}, Small, testNow},
		{"now too early", vs, Small, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		err := Population(tt.villages, tt.scale, 1, tt.now, func(*healthcell.Household, []*healthcell.Person) error {
			return nil
		})
		if err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

// TestFewVillages checks that a small list still works: every village gets
// households, and numbers stay unique when a village is very large.
func TestFewVillages(t *testing.T) {
	vs := countyVillages(t)
	tests := []struct {
		name     string
		villages []healthcell.Division
		scale    Scale
	}{
		{"one village small", vs[:1], Small},
		{"three villages small", vs[100:103], Small},
		{"two villages county", vs[200:202], County},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && tt.scale == County {
				t.Skip("county scale in -short mode")
			}
			s := collect(t, tt.villages, tt.scale, 5)
			if tt.scale == Small && (s.persons < 4000 || s.persons > 6000) {
				t.Errorf("persons = %d", s.persons)
			}
		})
	}
}

func TestNameTables(t *testing.T) {
	if n := len(surnames.names); n < 100 {
		t.Errorf("%d surnames, want at least 100", n)
	}
	seen := map[string]bool{}
	for _, s := range surnames.names {
		if seen[s] || utf8.RuneCountInString(s) != 1 {
			t.Errorf("surname %q repeated or not one character", s)
		}
		seen[s] = true
	}
	for sex, name := range []string{"female", "male"} {
		chars := map[rune]bool{}
		for _, p := range givenPools[sex] {
			for _, list := range [][]string{p.presets, p.first, p.second} {
				for _, s := range list {
					for _, r := range s {
						chars[r] = true
					}
				}
			}
			for _, s := range p.presets {
				if utf8.RuneCountInString(s) != 2 {
					t.Errorf("%s preset %q is not two characters", name, s)
				}
			}
		}
		if len(chars) < 80 {
			t.Errorf("%d distinct %s given-name characters, want at least 80", len(chars), name)
		}
	}
}

func BenchmarkCountyPopulation(b *testing.B) {
	vs := countyVillages(b)
	b.ReportAllocs()
	persons := 0
	for b.Loop() {
		persons = 0
		err := Population(vs, County, 1, testNow, func(_ *healthcell.Household, members []*healthcell.Person) error {
			persons += len(members)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(persons), "persons/op")
}
