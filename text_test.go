package healthcell

import "testing"

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, in       string
		want, wantLong string
	}{
		{"plain", "张三", "", ""},
		{"latin and digits", "Team 2", "", ""},
		{"NUL", "张\x00三", "text.control", "text.control"},
		{"line break", "张\n三", "text.control", ""},
		{"tab", "a\tb", "text.control", ""},
		{"escape", "a\x1bb", "text.control", "text.control"},
		{"zero-width only", "\u200b\u200b", "text.invisible", "text.invisible"},
		{"zero-width inside", "张\u200d三", "text.invisible", "text.invisible"},
		{"right-to-left override", "\u202e三张", "text.invisible", "text.invisible"},
		{"isolate", "\u2067x", "text.invisible", "text.invisible"},
		{"byte order mark", "\ufeff张三", "text.invisible", "text.invisible"},
		{"invalid UTF-8", "\xff", "text.control", "text.control"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckText(tt.in); got != tt.want {
				t.Errorf("CheckText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := CheckLongText(tt.in); got != tt.wantLong {
				t.Errorf("CheckLongText(%q) = %q, want %q", tt.in, got, tt.wantLong)
			}
		})
	}
}
