package main

import "testing"

func TestCheckPublicURL(t *testing.T) {
	for u, ok := range map[string]bool{
		"": true, "https://jk.example.cn": true, "http://10.0.0.5:8080/": true,
		"jk.example.cn": false, "ftp://jk.example.cn": false, "https://": false, "https://a.cn/?x=1": false, "https://a.cn/#x": false,
	} {
		if err := checkPublicURL(u); (err == nil) != ok {
			t.Errorf("checkPublicURL(%q) = %v", u, err)
		}
	}
}
