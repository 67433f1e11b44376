package healthcell

// StandardCodes are the codes a standard's items may name: indicators (the
// shipped ones and a county's own) and kinds of the activity register.
type StandardCodes struct {
	Indicators map[string]bool
	Activities map[string]bool
}

// CheckCodes checks that every indicator and activity s's items name is in
// c. It returns EINVALID listing each unknown one (field "indicator" or
// "activity", message standard.indicator.unknown or
// standard.activity.unknown, the code in Value) with the 1-based item number
// in Row, as Validate does, and nil when every code is known.
func (s *Standard) CheckCodes(c StandardCodes) error {
	var fe []FieldError
	for i := range s.Items {
		it := &s.Items[i]
		if it.Indicator != "" && !c.Indicators[it.Indicator] {
			fe = append(fe, FieldError{Row: i + 1, Field: "indicator", Message: "standard.indicator.unknown", Value: it.Indicator})
		}
		if it.Activity != "" && !c.Activities[it.Activity] {
			fe = append(fe, FieldError{Row: i + 1, Field: "activity", Message: "standard.activity.unknown", Value: it.Activity})
		}
	}
	return Invalid(fe)
}
