package officedoc

import "strconv"

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseNumber returns n (1–99) in Chinese numerals as headings count them:
// 一 … 十, 十一, 二十, 二十一 …; other numbers come back in Arabic digits.
func chineseNumber(n int) string {
	switch {
	case n >= 1 && n <= 9:
		return cnDigits[n]
	case n == 10:
		return "十"
	case n > 10 && n < 20:
		return "十" + cnDigits[n-10]
	case n >= 20 && n <= 99:
		s := cnDigits[n/10] + "十"
		if n%10 != 0 {
			s += cnDigits[n%10]
		}
		return s
	}
	return strconv.Itoa(n)
}

// headingNumber returns the number GB/T 9704 gives the count-th heading of a
// level: 一、 for level 1, （一） for level 2, 1. for level 3.
func headingNumber(level, count int) string {
	switch level {
	case 1:
		return chineseNumber(count) + "、"
	case 2:
		return "（" + chineseNumber(count) + "）"
	default:
		return strconv.Itoa(count) + "."
	}
}

// textWidthChars returns the width of s in 3号 characters: a CJK or other wide
// character is one, an ASCII character half.
func textWidthChars(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x80 {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

// cellWidthChars is textWidthChars as a table cell needs it, with room to
// spare: an ASCII character counts 0.6 ("%" a whole one), and every change
// between ASCII and other characters a quarter, for the space readers put
// between Chinese and Latin text (2026年5月20日 is 8.45).
func cellWidthChars(s string) float64 {
	w, prev := 0.0, 0
	for _, r := range s {
		kind := 1
		switch {
		case r == '%':
			w++
		case r < 0x80:
			w += 0.6
		default:
			w++
			kind = 2
		}
		if prev != 0 && kind != prev {
			w += 0.25
		}
		prev = kind
	}
	return w
}
