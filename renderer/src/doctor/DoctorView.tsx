import './doctor.css';
import type { DoctorReport, ProfileView } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { ErrorWithFix } from '../ui/Callout';
import { Icon, Spinner } from '../ui/Icon';
import { DoctorReportView } from './DoctorReportView';
import { TenantSetupPanel } from './TenantSetupPanel';
import { useDoctorCall } from './use-doctor-call';

/** The Doctor tab: Check runs every check that needs no person; Set up this tenant below. */
export function DoctorView({ view }: { view: ProfileView }) {
  const api = useApi();
  const check = useDoctorCall<DoctorReport>();
  const profileId = view.profile.id;
  return (
    <div className="doctor">
      <section className="card" aria-labelledby="doctor-heading">
        <div className="section-head">
          <h3 id="doctor-heading">Check this profile</h3>
          <button
            type="button"
            className="button button--primary"
            disabled={check.busy}
            onClick={() => void check.run(() => api.doctor.checkProfile(profileId))}
          >
            {check.busy ? <Spinner /> : <Icon name="play" size={18} />}
            Check
          </button>
        </div>
        <p className="muted">
          Asks the issuer and the MCP server everything a sign-in will meet, without signing in: the
          issuer’s discovery, how the app is registered, the authorization request as the app sends
          it (on two loopback ports), the server’s metadata and challenge, and the clock.
        </p>
        {check.error && (
          <ErrorWithFix error={check.error} title="The check could not run" role="alert" />
        )}
        {check.value && <DoctorReportView report={check.value} />}
      </section>
      <TenantSetupPanel />
    </div>
  );
}
