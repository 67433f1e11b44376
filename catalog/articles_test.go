package catalog

import "testing"

func TestArticleCategories(t *testing.T) {
	cats, err := ArticleCategories()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"健康素养66条", "慢病防治", "传染病防控", "爱国卫生"}
	if len(cats) != len(want) {
		t.Fatalf("got %d categories, want %d", len(cats), len(want))
	}
	for i, w := range want {
		if cats[i].Name("zh-CN") != w {
			t.Errorf("category %d = %q, want %q", i, cats[i].Zh, w)
		}
	}
	if !IsArticleCategory("chronic") || IsArticleCategory("nope") {
		t.Error("IsArticleCategory")
	}
}
