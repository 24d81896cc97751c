package io.jenkins.plugins.kfp.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials as a test gives them: by id, each of one kind. Answers as {@code JenkinsCredentials}
 * does: a token may be a Secret text or a Secret file; anything else of the wrong kind is not
 * found. Records every lookup.
 */
final class FakeCredentials implements CredentialLookup {
  private record Stored(Kind kind, Found found) {}

  private final Map<String, Stored> byId = new HashMap<>();
  final List<String> lookups = new ArrayList<>();

  FakeCredentials text(String id, String secret) {
    byId.put(id, new Stored(Kind.SECRET_TEXT, new Found(null, secret)));
    return this;
  }

  FakeCredentials file(String id, String content) {
    byId.put(id, new Stored(Kind.SECRET_FILE, new Found(null, content)));
    return this;
  }

  FakeCredentials usernamePassword(String id, String username, String password) {
    byId.put(id, new Stored(Kind.USERNAME_PASSWORD, new Found(username, password)));
    return this;
  }

  @Override
  public Found find(String id, Kind kind, String setting) throws CredentialUnavailableException {
    lookups.add(setting + "=" + id + " as " + kind);
    Stored stored = byId.get(id);
    boolean matches = stored != null && (stored.kind() == kind
        || kind == Kind.TOKEN && (stored.kind() == Kind.SECRET_TEXT || stored.kind() == Kind.SECRET_FILE));
    if (!matches) {
      throw CredentialUnavailableException.notFound(id, kind, setting, "this build");
    }
    return stored.found();
  }
}
