// Package healthcell holds the domain of the healthy-cells campaign system:
// divisions, households, persons, users and their scopes, the audit log, and
// the error codes every layer speaks. It imports only the standard library.
package healthcell

import (
	"errors"
	"fmt"
)

// Error codes. The set is closed: every error that reaches a user carries one
// of these, and web maps each to one HTTP status.
const (
	EINVALID      = "invalid"      // input failed validation; see Fields
	ENOTFOUND     = "not_found"    // no such record, or out of the caller's scope
	ECONFLICT     = "conflict"     // stale version or unique value already taken
	EUNAUTHORIZED = "unauthorized" // not logged in, or bad credentials
	EFORBIDDEN    = "forbidden"    // logged in but the role may not do this
	ETHROTTLED    = "throttled"    // too many attempts; try later
	EINTERNAL     = "internal"     // a fault of ours; details are logged, not shown
)

// FieldError is one problem with one input field. Message is a translation
// key (see web/i18n); Row is the 1-based spreadsheet row for file imports and
// zero otherwise.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Row     int    `json:"row,omitempty"`
	Value   string `json:"value,omitempty"`
}

// Error is the application error: a code from the closed set, a message key
// or sentence, and the field errors for EINVALID.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("healthcell error: code=%s message=%s fields=%v", e.Code, e.Message, e.Fields)
	}
	return fmt.Sprintf("healthcell error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error listing fields, or nil when fields is empty.
func Invalid(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "error.invalid", Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil
// and EINTERNAL for any other error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic key for internal errors so that details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "error.internal"
}

// ErrorFields returns the field errors of the first *Error in err's chain.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
