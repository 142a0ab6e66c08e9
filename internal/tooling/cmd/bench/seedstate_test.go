package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/refresh"
)

// TestExpandStateGivesEachCopyItsSeen: the copies of a seeded instance get
// their names, package IDs and, in private state, the Seen an apply of N
// gives (1 to N), keeping the other private keys; an instance without a
// Seen (the floor, terraform_data) keeps its private state as it was.
func TestExpandStateGivesEachCopyItsSeen(t *testing.T) {
	private := func(keys map[string][]byte) string {
		raw, err := json.Marshal(keys)
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(raw)
	}
	withKey := private(map[string][]byte{refresh.SeenKey: []byte("1"), "other": []byte(`true`)})
	without := private(map[string][]byte{"other": []byte(`true`)})
	for _, tc := range []struct {
		name, private string
		wantSeen      []string
	}{
		{"ghpkg", withKey, []string{"1", "2", "3"}},
		{"no Seen", without, []string{"", "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			from, to := filepath.Join(dir, "one.tfstate"), filepath.Join(dir, "n.tfstate")
			one := map[string]any{"version": 4, "resources": []any{map[string]any{
				"type": "ghpkg_user_package_restore", "name": "many",
				"instances": []any{map[string]any{
					"index_key":  0,
					"attributes": map[string]any{"package_name": "pkg-00000", "package_id": 100},
					"private":    tc.private,
				}},
			}}}
			raw, err := json.Marshal(one)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(from, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := expandState(from, to, 3); err != nil {
				t.Fatal(err)
			}
			raw, err = os.ReadFile(to)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Resources []struct {
					Instances []struct {
						Attributes map[string]any `json:"attributes"`
						Private    string         `json:"private"`
					} `json:"instances"`
				} `json:"resources"`
			}
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			for i, inst := range got.Resources[0].Instances {
				if name := inst.Attributes["package_name"]; name != []string{"pkg-00000", "pkg-00001", "pkg-00002"}[i] {
					t.Errorf("instance %d: package_name %v", i, name)
				}
				decoded, err := base64.StdEncoding.DecodeString(inst.Private)
				if err != nil {
					t.Fatal(err)
				}
				var keys map[string][]byte
				if err := json.Unmarshal(decoded, &keys); err != nil {
					t.Fatal(err)
				}
				if seen := string(keys[refresh.SeenKey]); seen != tc.wantSeen[i] || string(keys["other"]) != "true" {
					t.Errorf("instance %d: private %s, want Seen %q and other kept", i, decoded, tc.wantSeen[i])
				}
			}
		})
	}
}
