package locale

import "testing"

func TestCatalog(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, lang, key string
		data            any
		want            string
	}{
		{"chinese", "zh-CN", "login.failed", nil, "用户名或密码错误"},
		{"english", "en", "login.failed", nil, "Wrong username or password"},
		{"unknown language falls back to chinese", "fr", "login.failed", nil, "用户名或密码错误"},
		{"missing key is itself", "zh-CN", "no.such.key", nil, "no.such.key"},
		{"template data", "en", "sheet.item_of", map[string]any{"N": 3, "Of": 27}, "Item 3 of 27"},
	}
	for _, tt := range tests {
		if got := c.T(tt.lang, tt.key, tt.data); got != tt.want {
			t.Errorf("%s: T = %q, want %q", tt.name, got, tt.want)
		}
	}
	if !c.Has("login.failed") || c.Has("no.such.key") {
		t.Error("Has is wrong")
	}
	if Supported("en") != "en" || Supported("de") != "" {
		t.Error("Supported is wrong")
	}
}
