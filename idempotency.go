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
	// and body digest) is given. It returns (nil, nil) when the key is new
	// and now reserved: the caller runs the request and then calls
	// FinishKey or ReleaseKey. It returns the stored result when the key
	// already answered; ECONFLICT idempotency.in_progress while another
	// request with the key is running; EINVALID idempotency.key_reused
	// when the key was used for a different request, idempotency.bad_key
	// for a malformed key; EUNAUTHORIZED without a user.
	ReserveKey(ctx context.Context, key, fingerprint string) (*IdempotentResult, error)
	// FinishKey stores the answer of a reserved key.
	FinishKey(ctx context.Context, key string, res IdempotentResult) error
	// ReleaseKey forgets a reserved key whose request failed, so that it
	// may be sent again.
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
