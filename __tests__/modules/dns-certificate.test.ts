import { Testing } from 'cdktf';
import { DnsCertificate, type DnsCertificateProps } from '../../modules/dns-certificate';

type Body = Record<string, unknown>;

function synthCertificate(overrides: Partial<DnsCertificateProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new DnsCertificate(scope, 'certificate', {
      domainName: 'example.com',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      ...overrides,
    });
  });
  return JSON.parse(json) as { resource: Record<string, Record<string, Body>> };
}

describe('DnsCertificate', () => {
  const config = synthCertificate();
  const [certificate] = Object.values(config.resource.aws_acm_certificate);
  const [certificateId] = Object.keys(config.resource.aws_acm_certificate);
  const records = config.resource.aws_route53_record;

  test('covers the apex and its wildcard, validated by DNS, replaced before it is destroyed', () => {
    expect(certificate).toMatchObject({
      domain_name: 'example.com',
      subject_alternative_names: ['*.example.com'],
      validation_method: 'DNS',
      lifecycle: { create_before_destroy: true },
    });
  });

  test('one validation record serves apex and wildcard, keyed by the domain, in the given zone', () => {
    expect(Object.keys(records)).toEqual([expect.stringContaining('validation-examplecom')]);
    const option = `tolist(aws_acm_certificate.${certificateId}.domain_validation_options).0`;
    expect(Object.values(records)[0]).toMatchObject({
      zone_id: 'Z0123456789ABCDEFGHIJ',
      name: `\${${option}.resource_record_name}`,
      type: `\${${option}.resource_record_type}`,
      records: [`\${${option}.resource_record_value}`],
      allow_overwrite: true,
    });
  });

  test('the validation waits for that record', () => {
    const [recordId] = Object.keys(records);
    expect(Object.values(config.resource.aws_acm_certificate_validation)[0]).toEqual(
      expect.objectContaining({
        certificate_arn: `\${aws_acm_certificate.${certificateId}.arn}`,
        validation_record_fqdns: [`\${aws_route53_record.${recordId}.fqdn}`],
      }),
    );
  });

  test('a wildcard as the domain name fails at construction', () => {
    expect(() => synthCertificate({ domainName: '*.example.com' })).toThrow(
      'domainName "*.example.com" must be the apex; the wildcard is added',
    );
  });
});
