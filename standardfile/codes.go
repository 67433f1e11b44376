package standardfile

import "github.com/healthcell/healthcell"

// validate returns s.Validate's problems and, when known is not nil, those
// of s.CheckCodes(*known), in one EINVALID error (nil when there are none).
// Both number items from 1, so the parsers place them alike.
func validate(s *healthcell.Standard, known *healthcell.StandardCodes) error {
	fe := healthcell.ErrorFields(s.Validate())
	if known != nil {
		fe = append(fe, healthcell.ErrorFields(s.CheckCodes(*known))...)
	}
	return healthcell.Invalid(fe)
}
