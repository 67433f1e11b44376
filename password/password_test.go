package password

import "testing"

func TestHashVerify(t *testing.T) {
	fast := Params{Memory: 1024, Time: 1, Threads: 1}
	h, err := Hash("correct horse", fast)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := Hash("correct horse", fast)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
	tests := []struct {
		name string
		pw   string
		hash string
		ok   bool
		err  error
	}{
		{"right password", "correct horse", h, true, nil},
		{"wrong password", "correct horsf", h, false, nil},
		{"empty password", "", h, false, nil},
		{"bcrypt hash", "x", "$2a$10$abcdefghijklmnopqrstuv", false, ErrMalformed},
		{"empty hash", "x", "", false, ErrMalformed},
		{"bad params", "x", "$argon2id$v=19$m=a,t=1,p=1$c2FsdA$aGFzaA", false, ErrMalformed},
		{"zero threads", "x", "$argon2id$v=19$m=1024,t=1,p=0$c2FsdA$aGFzaA", false, ErrMalformed},
		{"bad base64", "x", "$argon2id$v=19$m=1024,t=1,p=1$!!$aGFzaA", false, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Verify(tt.pw, tt.hash)
			if ok != tt.ok || err != tt.err {
				t.Fatalf("Verify = %v, %v; want %v, %v", ok, err, tt.ok, tt.err)
			}
		})
	}
}
