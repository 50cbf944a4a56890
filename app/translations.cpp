#include "translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace periscope::app {

void installTranslations(QCoreApplication *app)
{
    // English first: it only holds plural forms, and a real translation installed later
    // takes precedence over it.
    auto *english = new QTranslator(app);
    if (english->load(QStringLiteral(":/i18n/periscope_en.qm")))
        QCoreApplication::installTranslator(english);
    auto *local = new QTranslator(app);
    if (QLocale().language() != QLocale::English &&
        local->load(QLocale(), QStringLiteral("periscope"), QStringLiteral("_"),
                    QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(local);
    else
        delete local;
}

} // namespace periscope::app
