#pragma once

#include <QString>
#include <string>
#include <string_view>

namespace periscope::logging {

// Hides the values of secret client settings (sasl.password, ssl.key.password,
// sasl.jaas.config, …) written as `key=value` or `key: value`, quoted or not, also when
// the key carries a prefix such as `listener.name.x.`. The value becomes "***".
QString redactSecrets(const QString &text);
std::string redactSecrets(std::string_view text);

} // namespace periscope::logging
