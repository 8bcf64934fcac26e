// Updates and deletes with where(raw), OR conditions and knex.raw values with bindings.
exports.up = async function (knex) {
  await knex('account_reports')
    .where(knex.raw('?? < ?', ['account_id', 2]))
    .orWhereNull('note')
    .update({
      orders: knex.raw('(select count(*) from ?? where ?? = ??)', ['orders', 'orders.account_id', 'account_reports.account_id']),
    });
  await knex('report_lines').whereNull('sku').orWhereRaw('?? = ?', ['qty', 3]).del();
  await knex('accounts').where('id', 3).orWhereNotNull('deleted_at')
    .update({ bio: knex.raw('coalesce(??, ?) || ?', ['bio', '', ' (gone)']) });
};

exports.down = async function (knex) {
  await knex('accounts').whereRaw('?? like ?', ['bio', '% (gone)'])
    .update({ bio: knex.raw("nullif(left(??, -7), '')", ['bio']) });
  await knex('account_reports').update({ orders: 0 });
};
