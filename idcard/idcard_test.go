package idcard

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"
)

// fixedNow is the "now" used by all tests.
var fixedNow = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

var allReasons = []Reason{
	ReasonEmpty, ReasonScientific, ReasonChars, ReasonLength, ReasonMissingX,
	ReasonOldFormat, ReasonRegion, ReasonDate, ReasonCheck,
}

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   Reason // "" means valid
		number string // expected ID.Number when valid
	}{
		// Valid.
		{"standard example with X", "11010519491231002X", "", "11010519491231002X"},
		{"plain digits", "510824199001011234", "", "510824199001011234"},
		{"lowercase x", "11010519491231002x", "", "11010519491231002X"},
		{"full-width digits", "５１０８２４１９９００１０１１２３４", "", "510824199001011234"},
		{"full-width X", "１１０１０５１９４９１２３１００２Ｘ", "", "11010519491231002X"},
		{"full-width lowercase x", "11010519491231002ｘ", "", "11010519491231002X"},
		{"spaces and tabs", " \t110105 19491231\t002X \n", "", "11010519491231002X"},
		{"nbsp and ideographic space", "\u00a0110105\u300019491231002X\u3000", "", "11010519491231002X"},
		{"zero-width space and BOM", "\ufeff110105\u200b19491231002X", "", "11010519491231002X"},
		{"leap day 2000", "110105200002291235", "", "110105200002291235"},
		{"born today", "110105202506151235", "", "110105202506151235"},
		{"Hong Kong region 81", "810000199001011230", "", "810000199001011230"},
		{"Taiwan region 71", "710000199001011237", "", "710000199001011237"},

		// Empty.
		{"empty", "", ReasonEmpty, ""},
		{"only whitespace", " \t\u3000\u00a0", ReasonEmpty, ""},

		// Scientific.
		{"excel short", "5.10824E+17", ReasonScientific, ""},
		{"excel long", "5.10824199001011E+17", ReasonScientific, ""},
		{"excel lowercase e", "5.10824e+17", ReasonScientific, ""},
		{"excel no fraction", "5E+17", ReasonScientific, ""},
		{"excel comma decimal", "5,10824E+17", ReasonScientific, ""},
		{"excel full-width", "５．１０８２４Ｅ＋１７", ReasonScientific, ""},
		{"excel with spaces", " 5.10824E+17 ", ReasonScientific, ""},

		// Chars.
		{"letter", "51082419900101123A", ReasonChars, ""},
		{"hyphens", "510824-19900101-1234", ReasonChars, ""},
		{"X in the middle", "1101051949123100X2", ReasonChars, ""},
		{"leading X", "X1010519491231002", ReasonChars, ""},
		{"Chinese text", "无", ReasonChars, ""},
		{"decimal point", "510824199001011234.0", ReasonChars, ""},
		{"invalid utf8", "51082419900101123\xff", ReasonChars, ""},

		// Length.
		{"too short", "1234", ReasonLength, ""},
		{"19 digits", "5108241990010112345", ReasonLength, ""},
		{"17 digits, X would not help", "51082419900101123", ReasonLength, ""},
		{"16 digits plus X", "1101051949123100X", ReasonLength, ""},
		{"15 chars with X", "11010549123100X", ReasonLength, ""},

		// Missing X.
		{"17 digits lost X", "11010519491231002", ReasonMissingX, ""},
		{"17 digits lost X, spaced", "110105 19491231 002", ReasonMissingX, ""},

		// Old format.
		{"15-digit old number", "110105491231002", ReasonOldFormat, ""},

		// Region.
		{"region 99", "990105199001011236", ReasonRegion, ""},
		{"region 00", "000105199001011237", ReasonRegion, ""},
		{"region 72", "720000199001011239", ReasonRegion, ""},

		// Date.
		{"Feb 30", "110105199002301231", ReasonDate, ""},
		{"Feb 29 non-leap 1900", "110105190002291239", ReasonDate, ""},
		{"month 13", "11010519901301123X", ReasonDate, ""},
		{"day 00", "110105199001001237", ReasonDate, ""},
		{"before 1880", "110105187912311238", ReasonDate, ""},
		{"tomorrow relative to now", "110105202506161230", ReasonDate, ""},
		// The GB 11643 textbook example, born 1880: the earliest year accepted.
		{"standard example born 1880", "440524188001010014", "", "440524188001010014"},

		// Check.
		{"wrong check digit", "510824199001011235", ReasonCheck, ""},
		{"X where digit expected", "51082419900101123X", ReasonCheck, ""},
		{"digit where X expected", "110105194912310021", ReasonCheck, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := Parse(tt.in, fixedNow)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse(%q) error %v, want valid", tt.in, err)
				}
				if id.Number != tt.number {
					t.Errorf("Number = %q, want %q", id.Number, tt.number)
				}
				if !Valid(tt.in, fixedNow) {
					t.Errorf("Valid(%q) = false", tt.in)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) = %+v, %v; want *Error %s", tt.in, id, err, tt.want)
			}
			if e.Reason != tt.want {
				t.Errorf("Parse(%q) reason %s, want %s (%v)", tt.in, e.Reason, tt.want, err)
			}
			if e.Input != tt.in {
				t.Errorf("Input = %q, want %q", e.Input, tt.in)
			}
			if id != (ID{}) {
				t.Errorf("ID = %+v on error, want zero", id)
			}
			if Valid(tt.in, fixedNow) {
				t.Errorf("Valid(%q) = true", tt.in)
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	id, err := Parse("11010519491231002X", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if id.Region != "110105" || !id.Birth.Equal(time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)) || id.Male || id.Sex() != "F" {
		t.Errorf("got %+v sex %s", id, id.Sex())
	}
	id, err = Parse("510824199001011234", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if !id.Male || id.Sex() != "M" {
		t.Errorf("got %+v sex %s, want male", id, id.Sex())
	}
}

func TestZeroNowMeansTimeNow(t *testing.T) {
	if !Valid("11010519491231002X", time.Time{}) {
		t.Error("valid number rejected with zero now")
	}
	future := Generate("110105", time.Now().AddDate(1, 0, 0), 1)
	if Valid(future, time.Time{}) {
		t.Errorf("future number %s accepted with zero now", future)
	}
}

func TestFutureDateUsesNowLocation(t *testing.T) {
	// 2025-06-15 23:30 UTC is already 2025-06-16 in Shanghai.
	now := time.Date(2025, 6, 15, 23, 30, 0, 0, time.UTC)
	shanghai := time.FixedZone("CST", 8*3600)
	n := "110105202506161230"
	if Valid(n, now) {
		t.Errorf("%s valid at %v", n, now)
	}
	if !Valid(n, now.In(shanghai)) {
		t.Errorf("%s invalid at %v", n, now.In(shanghai))
	}
}

func TestErrorMessages(t *testing.T) {
	seen := map[string]Reason{}
	for _, r := range allReasons {
		zh := r.Chinese()
		if zh == "" || zh == Reason("bogus").Chinese() {
			t.Errorf("%s: missing Chinese message", r)
		}
		if prev, ok := seen[zh]; ok {
			t.Errorf("%s and %s share Chinese message", r, prev)
		}
		seen[zh] = r
		msg := (&Error{Reason: r, Input: "510824199001011234"}).Error()
		if msg == "" || strconv.QuoteToASCII(msg) != strconv.Quote(msg) {
			t.Errorf("%s: Error() = %q, want non-empty ASCII", r, msg)
		}
	}
	if got := ReasonScientific.Chinese(); got != "身份证号被 Excel 转成了科学计数法（如 5.10824E+17），已无法恢复，请将该列设置为“文本”格式后重新填写" {
		t.Errorf("scientific Chinese = %q", got)
	}
	if got := ReasonCheck.Chinese(); got != "身份证号校验位错误，请核对号码" {
		t.Errorf("check Chinese = %q", got)
	}
	_, err := Parse("110105 19491231 002", fixedNow)
	want := `idcard: 17 digits: likely lost the trailing X (appending X gives a valid number): "110105***********"`
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %v\nwant      %s", err, want)
	}
	_, err = Parse("51082419900101123", fixedNow)
	if err == nil || !contains(err.Error(), "17 characters") || !contains(err.Error(), "trailing X") {
		t.Errorf("17-char length error = %v, want mention of trailing X", err)
	}
	if _, err := Parse("", fixedNow); err == nil || err.Error() != "idcard: empty ID number" {
		t.Errorf("empty Error() = %v", err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    byte
		wantErr Reason
	}{
		{"X", "11010519491231002", 'X', ""},
		{"4", "44052418800101001", '4', ""},
		{"0", "81000019900101123", '0', ""},
		{"short", "1101051949123100", 0, ReasonLength},
		{"long", "110105194912310021", 0, ReasonLength},
		{"letter", "1101051949123100A", 0, ReasonChars},
		{"full-width not normalised", "１１０１０５１９４", 0, ReasonLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckChar(tt.in)
			var e *Error
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.wantErr != "" && (!errors.As(err, &e) || e.Reason != tt.wantErr):
				t.Fatalf("error %v, want reason %s", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("CheckChar(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"clean unchanged", "11010519491231002X", "11010519491231002X"},
		{"lowercase x", "11010519491231002x", "11010519491231002X"},
		{"full-width", "５１０８２４Ｘｘ", "510824XX"},
		{"whitespace", " 1\t2\n3\r\u00a04\u30005 ", "12345"},
		{"punctuation kept", "5.1E+17", "5.1E+17"},
		{"full-width punctuation", "５．１Ｅ＋１７", "5.1E+17"},
		{"other letters kept", "abc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"18 digits", "510824199001011234", "510824************"},
		{"18 with X", "11010519491231002X", "110105************"},
		{"15 digits", "110105491231002", "110105*********"},
		{"empty", "", ""},
		{"short", "123", "***"},
		{"nine", "123456789", "*********"},
		{"ten", "1234567890", "123456****"},
		{"eleven", "12345678901", "123456*****"},
		{"multibyte", "５１０８２４１９９０１２３４", "５１０８２４********"},
		{"short multibyte", "身份证", "***"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mask(tt.in); got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		name  string
		birth time.Time
		at    time.Time
		want  int
	}{
		{"day before birthday", date(1990, 6, 15), date(2025, 6, 14), 34},
		{"on birthday", date(1990, 6, 15), date(2025, 6, 15), 35},
		{"newborn", date(2025, 6, 15), date(2025, 6, 15), 0},
		{"before birth", date(2025, 6, 15), date(2020, 1, 1), 0},
		{"leap day, non-leap Feb 28", date(2000, 2, 29), date(2025, 2, 28), 24},
		{"leap day, non-leap Mar 1", date(2000, 2, 29), date(2025, 3, 1), 25},
		{"leap day, leap year", date(2000, 2, 29), date(2024, 2, 29), 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (ID{Birth: tt.birth}).Age(tt.at); got != tt.want {
				t.Errorf("Age = %d, want %d", got, tt.want)
			}
		})
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestGenerateRoundTrip(t *testing.T) {
	regions := []string{"110105", "510824", "440524", "650102", "820000"}
	n := 0
	for d := date(1900, 1, 1); !d.After(fixedNow); d = d.AddDate(0, 0, 13) {
		for _, seq := range []int{n % 1000, (n + 1) % 1000} { // one odd, one even
			region := regions[n%len(regions)]
			s := Generate(region, d, seq)
			id, err := Parse(s, fixedNow)
			if err != nil {
				t.Fatalf("Parse(Generate(%s, %s, %d) = %s): %v", region, d.Format(time.DateOnly), seq, s, err)
			}
			if id.Number != s || id.Region != region || !id.Birth.Equal(d) || id.Male != (seq%2 == 1) {
				t.Fatalf("Generate(%s, %s, %d) = %s parsed as %+v", region, d.Format(time.DateOnly), seq, s, id)
			}
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("only %d round trips", n)
	}
	// Leap days and a non-UTC birth time keep their calendar date.
	cst := time.FixedZone("CST", 8*3600)
	if got := Generate("110105", time.Date(2000, 2, 29, 0, 30, 0, 0, cst), 123); got != "110105200002291235" {
		t.Errorf("Generate leap day in CST = %s", got)
	}
}

func TestGenerateBadInput(t *testing.T) {
	d := date(1990, 1, 1)
	tests := []struct {
		name   string
		region string
		birth  time.Time
		seq    int
	}{
		{"short region", "11010", d, 1},
		{"long region", "1101050", d, 1},
		{"letter in region", "11010A", d, 1},
		{"full-width region", "１１０１０５", d, 1},
		{"negative seq", "110105", d, -1},
		{"seq 1000", "110105", d, 1000},
		{"year 10000", "110105", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), 1},
		{"year -1", "110105", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Generate(tt.region, tt.birth, tt.seq); got != "" {
				t.Errorf("Generate = %q, want \"\"", got)
			}
		})
	}
	if got := Generate("110105", d, 0); len(got) != 18 || got[14:17] != "000" || !Valid(got, fixedNow) {
		t.Errorf("Generate seq 0 = %q", got)
	}
	if got := Generate("110105", d, 999); len(got) != 18 || !Valid(got, fixedNow) {
		t.Errorf("Generate seq 999 = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "440524188001010014", "510824199001011234",
		"11010519491231002x", "５１０８２４１９９００１０１１２３４", " \t110105 19491231\t002X ",
		"5.10824E+17", "5.10824199001011E+17", "11010519491231002", "110105491231002",
		"110105199002301231", "990105199001011236", "110105202506161230", "", "\xff", "1101051949123100X2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m := Mask(s); utf8.RuneCountInString(m) != utf8.RuneCountInString(s) {
			t.Fatalf("Mask(%q) = %q changes length", s, m)
		}
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("Normalize not idempotent on %q", s)
		}
		id, err := Parse(s, fixedNow)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T, want *Error", s, err)
			}
			known := false
			for _, r := range allReasons {
				known = known || e.Reason == r
			}
			if !known {
				t.Fatalf("Parse(%q) unknown reason %q", s, e.Reason)
			}
			_ = err.Error()
			return
		}
		if len(id.Number) != 18 {
			t.Fatalf("Parse(%q).Number = %q", s, id.Number)
		}
		seq, convErr := strconv.Atoi(id.Number[14:17])
		if convErr != nil {
			t.Fatalf("bad sequence in %q", id.Number)
		}
		if g := Generate(id.Region, id.Birth, seq); g != id.Number {
			t.Fatalf("Generate(%s, %v, %d) = %q, want %q", id.Region, id.Birth, seq, g, id.Number)
		}
		if id.Male != (seq%2 == 1) {
			t.Fatalf("Male = %v for seq %d", id.Male, seq)
		}
		if m := Mask(id.Number); len(m) != len(id.Number) {
			t.Fatalf("Mask(%q) = %q", id.Number, m)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	inputs := []string{
		"510824199001011234",
		"11010519491231002x",
		" ５１０８２４ １９９００１０１ １２３４ ",
		"5.10824E+17",
	}
	for _, in := range inputs {
		b.Run(fmt.Sprintf("%q", in), func(b *testing.B) {
			for b.Loop() {
				_, _ = Parse(in, fixedNow)
			}
		})
	}
}

func ExampleParse() {
	id, err := Parse(" 11010519491231002x ", time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC))
	fmt.Println(id.Number, id.Sex(), id.Birth.Format(time.DateOnly), err)
	_, err = Parse("5.10824E+17", time.Now())
	var e *Error
	if errors.As(err, &e) {
		fmt.Println(e.Reason, e.Reason.Chinese())
	}
	fmt.Println(Mask("510824199001011234"))
	// Output:
	// 11010519491231002X F 1949-12-31 <nil>
	// scientific 身份证号被 Excel 转成了科学计数法（如 5.10824E+17），已无法恢复，请将该列设置为“文本”格式后重新填写
	// 510824************
}
