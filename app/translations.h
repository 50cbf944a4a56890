#pragma once

class QCoreApplication;

namespace periscope::app {

// Installs the built-in translations: the English plural forms, then the user's language
// where one exists.
void installTranslations(QCoreApplication *app);

} // namespace periscope::app
