#include "browser/jsontree.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTreeWidget>

namespace periscope::widgets {

namespace {

QString scalarText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 17);
    case QJsonValue::String:
        return QLatin1Char('"') + v.toString() + QLatin1Char('"');
    case QJsonValue::Array:
        return QCoreApplication::translate("JsonTree", "[%n item(s)]", nullptr,
                                           int(v.toArray().size()));
    case QJsonValue::Object:
        return QCoreApplication::translate("JsonTree", "{%n member(s)}", nullptr,
                                           int(v.toObject().size()));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

void add(QTreeWidgetItem *parent, const QString &name, const QJsonValue &v, int *budget)
{
    if (--*budget < 0)
        return;
    auto *item = new QTreeWidgetItem(parent, {name, scalarText(v)});
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end() && *budget > 0; ++it)
            add(item, it.key(), it.value(), budget);
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size() && *budget > 0; ++i)
            add(item, QStringLiteral("[%1]").arg(i), a.at(i), budget);
    }
}

} // namespace

void fillJsonTree(QTreeWidget *tree, const QJsonValue &root, int maxNodes)
{
    tree->clear();
    int budget = maxNodes;
    auto *top = new QTreeWidgetItem(tree, {QStringLiteral("value"), scalarText(root)});
    if (root.isObject()) {
        const QJsonObject o = root.toObject();
        for (auto it = o.begin(); it != o.end() && budget > 0; ++it)
            add(top, it.key(), it.value(), &budget);
    } else if (root.isArray()) {
        const QJsonArray a = root.toArray();
        for (qsizetype i = 0; i < a.size() && budget > 0; ++i)
            add(top, QStringLiteral("[%1]").arg(i), a.at(i), &budget);
    }
    if (budget <= 0)
        new QTreeWidgetItem(tree, {QCoreApplication::translate("JsonTree", "… (cut here)"), {}});
    tree->expandToDepth(1);
}

} // namespace periscope::widgets
