#pragma once

class QCoreApplication;

namespace periscope::app {

// Installs the built-in translations: for now the English plural forms.
void installTranslations(QCoreApplication *app);

} // namespace periscope::app
