/**
 * The sha256 of each shipped `sql/NNNNNN_name.sql` file, by id.
 *
 * Policy: a file that may have been applied to a database is immutable. The
 * installer records its hash in `rowtrail.migrations` and never runs it again,
 * so an edit would never reach existing databases: put every change in a new
 * numbered file. The test beside this file fails when a file's hash is not
 * listed here.
 *
 * Each id lists every hash its file has had; all of them count as installed.
 * Add a hash here only when the edit changes nothing for a database that
 * applied the earlier text (a comment, whitespace), and say why in the commit.
 * The last hash of a list is the file's current one.
 */
export const SQL_FILE_HASHES: Readonly<Record<number, readonly string[]>> = {
  1: ['059d76feffb513e805994c336eb9b4161c636fac1cb13122424ab1110b2def7a'],
  2: ['cecd147e58f41f429013deba88a4a11751b7c6cda5e012756a64d571415220c3'],
  3: ['abb7aa4db6b8affafee83cfe6b057046378b1ea2810de6f18bfc7b7c21aa1bda'],
  4: ['22291e5955be9dac2935453987cbaaee0f52d3208a4ffe2f75e9eecc39a143d7'],
  5: ['f717d3b8b98e1d48dfec2bae831da2ca32fbbdb8df2be8aac3189daf46517c2f'],
  6: ['bd2515e389e5702f5e498744c794b714c6756badf92cd2ae8af6a9d8cd150cf2'],
  7: ['ad9be19fa6c53a60c02e1f3b5bf013cf805fc76f3a73e1f49c28d18b9b27251f'],
  8: ['667c1ced33f9846f1689850cf32cd845d2419e25b9df51de6f50dea33d5e2c28'],
  9: ['3c89c37a8d26e470b8cdfa133f0ce50743df01a5d849283d8e1b3b9c61d9ef2b'],
  10: ['74fe52ab1717d5e5de7c3469531c4f32b73484456efce373d6c230c813e182f5'],
  11: ['19cb70b16eda95f7541692e339982fe11abe727cec1b2f41db6a44329836457c'],
  12: ['f3a5cd0bed5c31e496208cd3dfdaab0a4a3211f792d101dc360d0ddfe0962cf1'],
  13: ['14bcd228fdbcaa4751cc45d28911d7b4f8bb0753cdece5324b9797764add36fb'],
  14: ['b00d008dce38887d5dd3eaa5ec479d98c5b0c398283c2dee19a193f34e490373'],
  15: ['8f04acc7d42e0986fbfa7e64fc7ca453159951d223ae78206a8adf54ce460795'],
  16: ['33fb63d3e2987ab8a5af7e136c7510b967911a6040252acb459921b975e29d42'],
  17: ['8be89224510b27644ce31b3a4922a806766615e3778079072d8f59b135c0a146'],
  18: ['6246fe7f81cb3a4f942b52f7d7cfc0c4b962c87d5be6c4e8131fdaee43b747cf'],
  19: ['b515da5c31420a39e7871fe54ff0d3cee4fd74e7203566eede055c9998aa9883'],
  20: ['2a2c4c057707363697e0d678819a763068d63d926213476e78e25158ee4ad693'],
  21: ['f968044817fbe76255dc4d5b51269a4bcdfd3283818b363caf1949f51c9676b2'],
  22: ['2e0bbd24a3ef0836e734d75ea5638fcbcb227c92dd121f7d100ce08ff278d906'],
  23: ['f99006feba8aa76eb90343206eff2f0e3aa467b0d0664804f281fca0669544c5'],
};
