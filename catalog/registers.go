package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"github.com/healthcell/healthcell/register"
)

//go:embed registers/*.yaml
var registerFiles embed.FS

var registers = sync.OnceValues(func() (*register.Set, error) {
	sub, err := fs.Sub(registerFiles, "registers")
	if err != nil {
		return nil, err
	}
	s, err := register.LoadDir(sub)
	if err != nil {
		return nil, fmt.Errorf("catalog registers: %w", err)
	}
	return s, nil
})

// Registers returns the shipped register definitions (registers/*.yaml),
// parsed once. A bad file (which the tests rule out) gives an error naming it.
func Registers() (*register.Set, error) { return registers() }

// MustRegisters is Registers for callers that start up only after the
// catalog tests have passed; it panics on a bad file.
func MustRegisters() *register.Set {
	s, err := registers()
	if err != nil {
		panic(err)
	}
	return s
}
