// SaslHandshake and SaslAuthenticate: SASL/PLAIN on a plaintext listener (SASL_PLAINTEXT).
#include "broker.h"

#include <spdlog/spdlog.h>

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

namespace {

constexpr const char *kMechanism = "PLAIN";
constexpr const char *kInvalidCredentials = "Authentication failed: Invalid username or password";

// Compares without stopping at the first difference, so timing tells nothing of the secret.
bool sameSecret(std::string_view a, std::string_view b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

} // namespace

bool Broker::offers(const Api &api) const
{
    return saslEnabled() || (api.key != 17 && api.key != 36);
}

Broker::SaslStage Broker::saslStage(std::uint64_t connectionId) const
{
    const auto it = m_sasl.find(connectionId);
    return it == m_sasl.end() ? SaslStage::Handshake : it->second;
}

bool Broker::saslAllows(const Request &r)
{
    const SaslStage stage = saslStage(r.conn.id);
    const std::int16_t key = r.header.apiKey;
    if (stage == SaslStage::Done || key == 18 || (key == 17 && stage == SaslStage::Handshake) ||
        (key == 36 && stage == SaslStage::Authenticate))
        return true;
    // Kafka closes such a connection too: the client skipped (or misordered) authentication.
    const Api *api = nullptr;
    for (const auto &a : apis())
        if (a.key == key)
            api = &a;
    spdlog::warn("connection {} ({}) sent {} v{} before SASL authentication; closing it", r.conn.id,
                 r.conn.peer, api ? api->name : "?", r.version());
    return false;
}

std::string Broker::checkPlain(std::string_view token, const Connection &conn)
{
    // The password never reaches the log; the user name does (Kafka logs it too).
    const auto refuse = [&](const std::string &why, std::string message) {
        spdlog::warn("connection {} ({}): SASL/PLAIN authentication failed: {}", conn.id, conn.peer,
                     why);
        return message;
    };
    // RFC 4616: [authzid] NUL authcid NUL passwd
    const auto first = token.find('\0');
    const auto second = first == std::string_view::npos ? first : token.find('\0', first + 1);
    if (second == std::string_view::npos || token.find('\0', second + 1) != std::string_view::npos)
        return refuse("malformed token", "Invalid SASL/PLAIN response: expected 3 tokens");
    const std::string_view authzid = token.substr(0, first);
    const std::string user(token.substr(first + 1, second - first - 1));
    const std::string_view password = token.substr(second + 1);
    if (user.empty())
        return refuse("no user name", "Authentication failed: username not specified");
    if (password.empty())
        return refuse("no password for user '" + user + "'",
                      "Authentication failed: password not specified");
    if (!authzid.empty() && authzid != user)
        return refuse("user '" + user + "' asked to act as another user",
                      "Authentication failed: Client requested an authorization id that is "
                      "different from username");
    const auto it = m_options.saslPlainUsers.find(user);
    const bool known = it != m_options.saslPlainUsers.end();
    // Compared even for an unknown user, so that timing does not tell which users exist.
    const bool match = sameSecret(password, known ? std::string_view(it->second) : "\x01");
    if (!known || !match)
        return refuse("user '" + user + "' (" + (known ? "wrong password" : "unknown user") + ")",
                      kInvalidCredentials);
    spdlog::debug("connection {} ({}) authenticated as '{}'", conn.id, conn.peer, user);
    return {};
}

Outcome Broker::saslHandshake(Request &r)
{
    const std::string mechanism = r.in.str();
    const SaslStage stage = saslStage(r.conn.id);
    Error error = Error::None;
    if (stage != SaslStage::Handshake)
        error = Error::IllegalSaslState; // no re-authentication: the session never expires
    else if (mechanism != kMechanism)
        error = Error::UnsupportedSaslMechanism;
    ByteWriter &out = r.out;
    out.i16(code(error));
    out.arrayLength(1);
    out.str(kMechanism);
    if (error == Error::UnsupportedSaslMechanism) {
        spdlog::warn("connection {} ({}) asked for SASL mechanism '{}'; only PLAIN is enabled",
                     r.conn.id, r.conn.peer, mechanism);
        return Outcome::RespondAndClose;
    }
    if (error == Error::None)
        // v0: the token follows as a bare size-prefixed frame, without a request header.
        m_sasl[r.conn.id] = r.version() == 0 ? SaslStage::RawToken : SaslStage::Authenticate;
    return Outcome::Respond;
}

Outcome Broker::saslAuthenticate(Request &r)
{
    const std::string_view token = r.in.bytes();
    r.in.skipTags();
    const bool again = saslStage(r.conn.id) == SaslStage::Done;
    const std::string failure = again ? std::string() : checkPlain(token, r.conn);
    ByteWriter &out = r.out;
    if (again) {
        out.i16(code(Error::IllegalSaslState));
        out.str("Already authenticated");
    } else if (!failure.empty()) {
        out.i16(code(Error::SaslAuthenticationFailed));
        out.str(failure);
    } else {
        out.i16(0);
        out.nullStr();
    }
    out.bytes({}); // PLAIN has nothing to say back
    if (r.version() >= 1)
        out.i64(0); // session lifetime: no re-authentication
    out.tags();
    if (!failure.empty())
        return Outcome::RespondAndClose; // as Kafka does
    m_sasl[r.conn.id] = SaslStage::Done;
    return Outcome::Respond;
}

bool Broker::expectsRawToken(std::uint64_t connectionId) const
{
    return saslStage(connectionId) == SaslStage::RawToken;
}

Outcome Broker::handleRawToken(std::string_view token, ByteWriter & /*out*/, const Connection &conn)
{
    // Without Kafka framing there is no way to say why; Kafka just closes too.
    if (!checkPlain(token, conn).empty())
        return Outcome::Close;
    m_sasl[conn.id] = SaslStage::Done;
    return Outcome::Respond; // an empty server token: a frame of size 0
}

} // namespace periscope::broker
