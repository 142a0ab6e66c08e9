package release

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// keyring is a throwaway GnuPG home holding one signing key, made for one
// snapshot: no key of the machine signs a snapshot, and none is kept.
type keyring struct {
	home, fingerprint string
}

// keyUID names the throwaway key; .invalid is never a real mail domain.
const keyUID = "ghpkg release snapshot <snapshot@ghpkg.invalid>"

func newKeyring() (*keyring, error) {
	if _, err := exec.LookPath("gpg"); err != nil {
		return nil, fmt.Errorf("signing needs gpg: install gnupg (apt-get install gnupg), or build without signing: %w", err)
	}
	home, err := os.MkdirTemp("", "ghpkg-gpg-")
	if err != nil {
		return nil, err
	}
	k := &keyring{home: home}
	// No passphrase: goreleaser signs with --batch. One day is plenty.
	if _, err := k.gpg("--passphrase", "", "--quick-gen-key", keyUID, "ed25519", "sign", "1d"); err != nil {
		k.close()
		return nil, err
	}
	out, err := k.gpg("--with-colons", "--list-secret-keys")
	if err == nil {
		k.fingerprint, err = fingerprint(out)
	}
	if err != nil {
		k.close()
		return nil, err
	}
	return k, nil
}

// fingerprint reads the first fpr record of gpg --with-colons output.
func fingerprint(colons []byte) (string, error) {
	for line := range strings.SplitSeq(string(colons), "\n") {
		if fields := strings.Split(line, ":"); fields[0] == "fpr" && len(fields) > 9 {
			return fields[9], nil
		}
	}
	return "", fmt.Errorf("gpg listed no key fingerprint:\n%s", colons)
}

// gpg runs gpg on the keyring, without prompts, and returns its stdout.
func (k *keyring) gpg(args ...string) ([]byte, error) {
	cmd := exec.Command("gpg", append([]string{"--batch", "--pinentry-mode", "loopback"}, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+k.home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("gpg %s: %w\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}

// env is what goreleaser's signs section needs to sign with the key.
func (k *keyring) env() []string {
	return []string{"GNUPGHOME=" + k.home, "GPG_FINGERPRINT=" + k.fingerprint}
}

// verify runs gpg --verify on a detached signature.
func (k *keyring) verify(signature, file string) error {
	_, err := k.gpg("--verify", signature, file)
	return err
}

// close stops the gpg-agent that gpg started for the keyring and removes it.
func (k *keyring) close() {
	kill := exec.Command("gpgconf", "--kill", "gpg-agent")
	kill.Env = append(os.Environ(), "GNUPGHOME="+k.home)
	_ = kill.Run()
	_ = os.RemoveAll(k.home)
}
