package healthcell

import "context"

// IdempotentResult is the first answer to a create sent with an
// idempotency key: a retried request with the same key gets it again
// instead of making a second record.
type IdempotentResult struct {
	Status int    // the HTTP status of the first answer
	Body   []byte // its JSON body
}

// MaxIdempotencyKeyLen is the longest idempotency key accepted, in bytes.
const MaxIdempotencyKeyLen = 100

// IdempotencyService keeps the idempotency keys of the calling user. Keys
// belong to a user: the same key sent by two users names two requests.
type IdempotencyService interface {
	// ReserveKey claims key for a request whose fingerprint (method, path
	// and body digest) is given. It returns (nil, claim, nil) when the key
	// is new and now reserved: the caller runs the request with the claim
	// in its context (WithIdempotencyClaim), so that the write making the
	// record stores the answer with the key in the same transaction, and
	// then calls FinishKey or ReleaseKey. It returns the stored result when
	// the key already answered; ECONFLICT idempotency.in_progress while
	// another request with the key is running; EINVALID
	// idempotency.key_reused when the key was used for a different
	// request, idempotency.bad_key for a malformed key; EUNAUTHORIZED
	// without a user.
	ReserveKey(ctx context.Context, key, fingerprint string) (*IdempotentResult, *IdempotencyClaim, error)
	// FinishKey stores the answer of a reserved key (replacing the one its
	// write stored, which may be shorter: see IdempotencyClaim).
	FinishKey(ctx context.Context, key string, res IdempotentResult) error
	// ReleaseKey forgets a reserved key whose request failed, so that it
	// may be sent again; a key whose write committed stays.
	ReleaseKey(ctx context.Context, key string) error
}

// ValidIdempotencyKey reports whether key is 1 to MaxIdempotencyKeyLen
// printable ASCII characters.
func ValidIdempotencyKey(key string) bool {
	if key == "" || len(key) > MaxIdempotencyKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return false
		}
	}
	return true
}

// IdempotencyClaim is a key reserved for the request running. A write that
// makes the record of the request (a register entry, a file, a response,
// an answer, evidence) stores its answer with the key inside its own
// transaction: the record and the key's answer commit together or not at
// all, so a crash between them cannot make a retry store the record twice.
// The answer stored there is the record as the service returns it (for a
// sheet answer, the answer rather than the whole sheet the API shows);
// FinishKey then replaces it with the full HTTP answer.
type IdempotencyClaim struct {
	Key   string
	Token int64 // the reservation's mark: a take-over changes it
	// Status is the HTTP status of a successful answer (201 for a create,
	// 200 for an update), set by the caller before the request runs.
	Status int
	// Answered is set once a write committed the answer with the record.
	Answered bool
}

type claimKey struct{}

// WithIdempotencyClaim returns ctx carrying c.
func WithIdempotencyClaim(ctx context.Context, c *IdempotencyClaim) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

// IdempotencyClaimFrom returns the claim in ctx, or nil when there is none.
func IdempotencyClaimFrom(ctx context.Context) *IdempotencyClaim {
	c, _ := ctx.Value(claimKey{}).(*IdempotencyClaim)
	return c
}
