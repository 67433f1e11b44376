package idcard

import (
	"strconv"
	"unicode/utf8"
)

// Reason says why an ID number was rejected. The set of values is closed:
// it is exactly the Reason* constants below.
type Reason string

// The reasons Parse can report, in the order Parse checks them.
const (
	ReasonEmpty      Reason = "empty"      // nothing left after removing whitespace
	ReasonScientific Reason = "scientific" // Excel scientific notation, e.g. 5.10824E+17; digits are lost
	ReasonChars      Reason = "chars"      // characters other than digits and a final X
	ReasonLength     Reason = "length"     // not 18 characters (and not one of the cases below)
	ReasonMissingX   Reason = "missing_x"  // 17 digits, and appending X gives a valid number
	ReasonOldFormat  Reason = "old_format" // 15-digit pre-1999 number
	ReasonRegion     Reason = "region"     // first 6 digits are not a plausible division code
	ReasonDate       Reason = "date"       // impossible birth date, before 1880 or after now
	ReasonCheck      Reason = "check"      // wrong check character
)

// Chinese returns a sentence in Chinese, suitable for showing to a county
// officer, explaining the problem and what to do. For a value that is not one
// of the Reason constants it returns a generic "invalid ID number" sentence.
func (r Reason) Chinese() string {
	switch r {
	case ReasonEmpty:
		return "身份证号为空，请填写身份证号"
	case ReasonScientific:
		return "身份证号被 Excel 转成了科学计数法（如 5.10824E+17），已无法恢复，请将该列设置为“文本”格式后重新填写"
	case ReasonChars:
		return "身份证号含有非法字符，只能是数字，最后一位可以是 X，请核对号码"
	case ReasonLength:
		return "身份证号位数不对，应为 18 位，请核对是否漏填或多填（若只有 17 位，常见原因是末尾的 X 丢失）"
	case ReasonMissingX:
		return "身份证号只有 17 位，末尾的 X 丢失了（Excel 中常见），请在末尾补上 X 后重新填写"
	case ReasonOldFormat:
		return "这是 15 位的旧身份证号，请填写 18 位的新身份证号"
	case ReasonRegion:
		return "身份证号前 6 位地区码不正确，请核对号码"
	case ReasonDate:
		return "身份证号中的出生日期（第 7 至 14 位）不正确，请核对号码"
	case ReasonCheck:
		return "身份证号校验位错误，请核对号码"
	}
	return "身份证号无效，请核对号码"
}

// english returns the English description used by Error.Error.
func (r Reason) english(n string) string {
	switch r {
	case ReasonEmpty:
		return "empty ID number"
	case ReasonScientific:
		return "ID number was turned into scientific notation by Excel (e.g. 5.10824E+17); the digits are lost and cannot be recovered, format the column as Text and re-enter it"
	case ReasonChars:
		return "ID number contains characters other than digits and a final X"
	case ReasonLength:
		l := utf8.RuneCountInString(n)
		msg := "wrong length: " + strconv.Itoa(l) + " characters, want 18"
		if l == 17 {
			msg += " (one character missing, likely the trailing X lost by Excel)"
		}
		return msg
	case ReasonMissingX:
		return "17 digits: likely lost the trailing X (appending X gives a valid number)"
	case ReasonOldFormat:
		return "old 15-digit ID number; the 18-digit number is required"
	case ReasonRegion:
		return "region code (first 6 digits) is not a valid administrative division"
	case ReasonDate:
		return "impossible birth date (digits 7-14): invalid month or day, before 1880, or in the future"
	case ReasonCheck:
		return "wrong check character (last character)"
	}
	return "invalid ID number (" + string(r) + ")"
}

// Error is the error returned by Parse (always as *Error) and CheckChar.
// Reason is one of the Reason constants; Input is the string exactly as
// passed in, before normalisation.
type Error struct {
	Reason Reason
	Input  string
}

// Error returns an English message. The input appears only masked (see
// Mask), so the message is safe to log.
func (e *Error) Error() string {
	n := Normalize(e.Input)
	msg := "idcard: " + e.Reason.english(n)
	if n != "" {
		msg += ": " + strconv.Quote(Mask(n))
	}
	return msg
}
