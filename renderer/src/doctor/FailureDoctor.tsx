import './doctor.css';
import { useEffect, useState } from 'react';
import type { DoctorFailureView } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { ErrorWithFix } from '../ui/Callout';
import { Spinner } from '../ui/Icon';
import { CheckItem } from './CheckItem';
import { DoctorReportView } from './DoctorReportView';
import { useDoctorCall } from './use-doctor-call';

/** Under a failed sign-in: the doctor runs by itself and shows the check that explains it. */
export function FailureDoctor({
  profileId,
  code,
}: {
  profileId: string;
  code?: string | undefined;
}) {
  const api = useApi();
  const doctor = useDoctorCall<DoctorFailureView>();
  const [all, setAll] = useState(false);
  const { run } = doctor;
  useEffect(() => {
    void run(() => api.doctor.explainFailure(profileId, code));
    // Once per failure (the parent keys this by flow); `run` is a fresh function each render.
  }, [api, profileId, code]);

  const view = doctor.value;
  const pointed = view?.report.checks.find((c) => c.id === view.checkId);
  return (
    <section
      className="card failure-doctor"
      aria-labelledby="failure-doctor-heading"
      aria-live="polite"
    >
      <h4 id="failure-doctor-heading">What the doctor found</h4>
      {doctor.busy && (
        <p>
          <Spinner /> Checking the issuer, the app registration and the server…
        </p>
      )}
      {doctor.error && <ErrorWithFix error={doctor.error} title="The doctor could not run" />}
      {view && pointed && (
        <ol className="doctor-checks">
          <CheckItem check={pointed} pointed />
        </ol>
      )}
      {view && !pointed && (
        <p>Every check passed: the failure is not in the configuration the doctor can see.</p>
      )}
      {view && (
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => setAll(!all)}
          aria-expanded={all}
        >
          {all ? 'Hide the other checks' : 'Show every check'}
        </button>
      )}
      {view && all && <DoctorReportView report={view.report} pointedId={view.checkId} />}
    </section>
  );
}
