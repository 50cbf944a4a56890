#include "redact.h"

#include <QStringView>
#include <algorithm>
#include <array>

namespace periscope::logging {

namespace {

constexpr std::array<std::string_view, 6> secretKeys{
    "sasl.password",         "ssl.key.password",        "sasl.oauthbearer.client.secret",
    "ssl.keystore.password", "ssl.truststore.password", "sasl.jaas.config",
};
constexpr std::string_view jaasKey = "sasl.jaas.config";

template <typename Ch>
bool isNameChar(Ch c)
{
    return (c >= Ch('a') && c <= Ch('z')) || (c >= Ch('A') && c <= Ch('Z')) ||
           (c >= Ch('0') && c <= Ch('9')) || c == Ch('_') || c == Ch('-');
}

template <typename Ch>
Ch toLowerAscii(Ch c)
{
    return c >= Ch('A') && c <= Ch('Z') ? Ch(c - Ch('A') + Ch('a')) : c;
}

template <typename Ch>
bool keyAt(std::basic_string_view<Ch> s, size_t at, std::string_view key)
{
    if (at + key.size() > s.size())
        return false;
    for (size_t k = 0; k < key.size(); ++k)
        if (toLowerAscii(s[at + k]) != Ch(key[k]))
            return false;
    const size_t after = at + key.size();
    return after == s.size() || !(isNameChar(s[after]) || s[after] == Ch('.'));
}

template <typename Ch>
size_t skipBlanks(std::basic_string_view<Ch> s, size_t at)
{
    while (at < s.size() && (s[at] == Ch(' ') || s[at] == Ch('\t')))
        ++at;
    return at;
}

// Where the value starts after the key, or npos when no `=` / `:` follows.
template <typename Ch>
size_t valueStart(std::basic_string_view<Ch> s, size_t afterKey)
{
    size_t at = afterKey;
    if (at < s.size() && (s[at] == Ch('"') || s[at] == Ch('\'')))
        ++at; // the closing quote of a quoted key, as in JSON
    at = skipBlanks(s, at);
    if (at >= s.size() || (s[at] != Ch('=') && s[at] != Ch(':')))
        return std::basic_string_view<Ch>::npos;
    return skipBlanks(s, at + 1);
}

template <typename Ch>
size_t quotedEnd(std::basic_string_view<Ch> s, size_t open)
{
    const Ch quote = s[open];
    size_t at = open + 1;
    while (at < s.size() && s[at] != quote)
        at += s[at] == Ch('\\') ? 2 : 1;
    return std::min(at, s.size());
}

// A bare value ends at a blank, ',' or ';'. A password containing one of those leaks its
// tail, but stopping later would swallow the rest of a config dump line. JAAS settings
// contain blanks and end at ';' or the end of the line.
template <typename Ch>
size_t bareEnd(std::basic_string_view<Ch> s, size_t from, bool jaas)
{
    size_t at = from;
    while (at < s.size()) {
        const Ch c = s[at];
        if (c == Ch('\n') || c == Ch('\r') || c == Ch(';'))
            break;
        if (!jaas && (c == Ch(' ') || c == Ch('\t') || c == Ch(',')))
            break;
        ++at;
    }
    return at;
}

// Returns false when nothing was hidden, leaving out untouched.
template <typename Ch>
bool redact(std::basic_string_view<Ch> s, std::basic_string<Ch> &out)
{
    size_t copied = 0;
    size_t at = 0;
    bool changed = false;
    while (at < s.size()) {
        const bool candidate =
            toLowerAscii(s[at]) == Ch('s') && (at == 0 || !isNameChar(s[at - 1]));
        size_t next = at + 1;
        for (size_t k = 0; candidate && k < secretKeys.size(); ++k) {
            const std::string_view key = secretKeys[k];
            if (!keyAt(s, at, key))
                continue;
            const size_t start = valueStart(s, at + key.size());
            if (start == std::basic_string_view<Ch>::npos || start >= s.size())
                break;
            size_t hideFrom = start;
            size_t hideTo = 0;
            if (s[start] == Ch('"') || s[start] == Ch('\'')) {
                hideFrom = start + 1;
                hideTo = quotedEnd(s, start);
            } else {
                hideTo = bareEnd(s, start, key == jaasKey);
            }
            if (hideTo > hideFrom) {
                if (!changed)
                    out.reserve(s.size() + 8);
                out.append(s.substr(copied, hideFrom - copied));
                out.append(3, Ch('*'));
                copied = hideTo;
                changed = true;
            }
            next = std::max(hideTo, at + key.size());
            break;
        }
        at = next;
    }
    if (changed)
        out.append(s.substr(copied));
    return changed;
}

} // namespace

QString redactSecrets(const QString &text)
{
    const std::u16string_view view(QStringView(text).utf16(), size_t(text.size()));
    std::u16string out;
    if (!redact(view, out))
        return text;
    return QString::fromStdU16String(out);
}

std::string redactSecrets(std::string_view text)
{
    std::string out;
    if (!redact(text, out))
        return std::string(text);
    return out;
}

} // namespace periscope::logging
