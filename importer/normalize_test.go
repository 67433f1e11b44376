package importer

import "testing"

func TestParseDate(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"2025-01-02", "2025-01-02"},
		{"2025/1/2", "2025-01-02"},
		{"2025.1.2", "2025-01-02"},
		{"2025-1-2", "2025-01-02"},
		{"2025年1月2日", "2025-01-02"},
		{"2025年1月2", "2025-01-02"},
		{"２０２５年１月２日", "2025-01-02"},
		{" 20250102\t", "2025-01-02"},
		{"45659", "2025-01-02"},
		{"45659.5", "2025-01-02"},
		{"1", "1900-01-01"},
		{"61", "1900-03-01"},
		{"2025-01-02 00:00:00", "2025-01-02"},
		{"2024-02-29", "2024-02-29"},
		{"2025-02-29", ""},
		{"2025-13-01", ""},
		{"20251301", ""},
		{"60", ""},
		{"0", ""},
		{"2025-01", ""},
		{"2025-01-02-03", ""},
		{"25-01-02", ""},
		{"2025年1月2日x", ""},
		{"abc", ""},
		{"", ""},
		{"45659.", ""},
	}
	for _, tc := range cases {
		got, ok := ParseDate(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

// FuzzParseDate checks ParseDate never panics and that what it returns is a
// date it reads back as itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-01-02", "2025年1月2日", "45659.25", "20250102", "1/2/3", "９"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if !ok {
			return
		}
		if again, ok := ParseDate(d); !ok || again != d {
			t.Fatalf("ParseDate(%q) = %q, which reads back as %q, %v", s, d, again, ok)
		}
	})
}

func TestHeaderKey(t *testing.T) {
	for in, want := range map[string]string{"所属村（社区）": "所属村(社区)", " 姓 名 ": "姓名", "*身份证号：": "身份证号", "ID": "id"} {
		if got := HeaderKey(in); got != want {
			t.Errorf("HeaderKey(%q) = %q, want %q", in, got, want)
		}
	}
}
