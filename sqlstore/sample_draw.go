package sqlstore

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// The random draw of a sampling batch (抽查), shared by the township's
// family batches (family_batch.go) and the naming office's batches
// (naming_batch.go): given the recorded seed it always draws the same
// sample, which is what makes a batch auditable.

// SampleSize returns how many of total units percent % is, rounded up, at
// least one and at most total (0 when total is 0).
func SampleSize(total, percent int) int {
	if total == 0 {
		return 0
	}
	return max(1, min((total*percent+99)/100, total))
}

// DrawSample returns the members of ids (sorted ascending first, so the
// order they were given in does not matter) drawn with seed: percent % of
// them rounded up, at least one. The same ids, percent and seed always
// draw the same sample.
func DrawSample(ids []int64, percent int, seed int64) []int64 {
	return DrawSampleN(ids, SampleSize(len(ids), percent), seed)
}

// DrawSampleN returns n members of ids drawn with seed, sorted ascending
// (n is clamped to 1…len(ids); nil for no ids). The same ids, n and seed
// always draw the same sample, in every Go version.
func DrawSampleN(ids []int64, n int, seed int64) []int64 {
	if len(ids) == 0 {
		return nil
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	n = max(1, min(n, len(sorted)))
	// A partial Fisher–Yates shuffle written out here (not rand.Perm, whose
	// algorithm a Go release may change) over the PCG-DXSM stream, with
	// Lemire's unbiased reduction: a recorded seed draws the same sample
	// in every version.
	pcg := rand.NewPCG(uint64(seed), 0x5a3b1e)
	below := func(k uint64) uint64 {
		hi, lo := bits.Mul64(pcg.Uint64(), k)
		if lo < k {
			for thresh := -k % k; lo < thresh; {
				hi, lo = bits.Mul64(pcg.Uint64(), k)
			}
		}
		return hi
	}
	for i := range n {
		j := i + int(below(uint64(len(sorted)-i)))
		sorted[i], sorted[j] = sorted[j], sorted[i]
	}
	out := slices.Clone(sorted[:n])
	slices.Sort(out)
	return out
}

// randomSeed returns a positive seed from the system's random source.
func randomSeed() int64 {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:])>>1) | 1
}
