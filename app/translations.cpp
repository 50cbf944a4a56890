#include "translations.h"

#include <QCoreApplication>
#include <QTranslator>

namespace periscope::app {

void installTranslations(QCoreApplication *app)
{
    // Only the English plural forms ship so far; a language of its own would be loaded
    // after this one, by QLocale, so that it takes precedence.
    auto *english = new QTranslator(app);
    if (english->load(QStringLiteral(":/i18n/periscope_en.qm")))
        QCoreApplication::installTranslator(english);
    else
        delete english;
}

} // namespace periscope::app
