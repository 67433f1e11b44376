package catalog

import (
	"bufio"
	"strings"
	"sync"
)

// regions.csv assigns each province to the eastern, central or western
// region (东部 / 中部 / 西部), the split national standards such as 国家卫生村
// use for regional targets.
var (
	regionsOnce sync.Once
	regions     map[string]string
)

// EconomicRegion returns 东, 中 or 西 for a division code (any length of at
// least two digits), or "" for a province the table does not list.
func EconomicRegion(code string) string {
	regionsOnce.Do(func() {
		regions = map[string]string{}
		f, err := files.Open("regions.csv")
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			parts := strings.Split(sc.Text(), ",")
			if len(parts) == 3 {
				regions[parts[0]] = parts[2]
			}
		}
	})
	if len(code) < 2 {
		return ""
	}
	return regions[code[:2]]
}
